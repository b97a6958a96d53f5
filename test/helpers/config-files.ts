import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';

/**
 * Prepares a generated configuration for a real program outside the cluster.
 *
 * Why: the programs check that the files a configuration names exist — promtool checks
 * `credentials_file`, `password_file`, TLS `ca_file` and the `rule_files` globs; Alertmanager loads
 * `templates`. In the cluster those paths are Secret, ServiceAccount and ConfigMap mounts
 * (/etc/prometheus/secrets/…, /var/run/secrets/kubernetes.io/serviceaccount/…). Here each absolute
 * path under a `*_file`, `*_files`, `rule_files` or `templates` key gets a placeholder file inside
 * `root`, and only the path's prefix is rewritten (`/etc/x` → `<root>/etc/x`); nothing else in the
 * text changes. Glob patterns are rewritten but not created: the caller writes the files they match
 * with {@link writeUnder}.
 */
export function stageFileReferences(text: string, root: string): { text: string; paths: string[] } {
  const paths = new Set<string>();
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) node.forEach((n) => visit(n, key));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
    else if (typeof node === 'string' && key && /(_file|_files|^rule_files|^templates)$/.test(key) && node.startsWith('/')) paths.add(node);
  };
  visit(YAML.parse(text));
  let out = text;
  // Longest first, so /a/b/c is rewritten before /a/b could match inside it.
  for (const p of [...paths].sort((a, b) => b.length - a.length)) {
    if (!/[*?[]/.test(p)) writeUnder(root, p, 'placeholder written by the test: the real file is a Kubernetes mount\n');
    const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<=[\\s\\[,:'"])${escaped}(?=[\\s\\],'"]|$)`, 'gm'), join(root, p));
  }
  return { text: out, paths: [...paths] };
}

/** Writes `content` at the absolute path `path` re-rooted under `root`; returns the new path. */
export function writeUnder(root: string, path: string, content: string): string {
  const target = join(root, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  return target;
}
