import YAML from 'yaml';

/** A Kubernetes object as written to dist/. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** The objects of YAML streams (the files of an output directory), in order. */
export function parseObjects(texts: readonly string[]): KubeObject[] {
  return texts.flatMap((t) => YAML.parseAllDocuments(t).map((d) => d.toJSON() as KubeObject).filter((o) => o && typeof o === 'object' && o.kind));
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped): how the review names an object. */
export function objectKey(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

export function byKey(objects: readonly KubeObject[]): Map<string, KubeObject> {
  return new Map(objects.map((o) => [objectKey(o), o]));
}

/** Objects present on both sides, by key. */
export function pairs(before: readonly KubeObject[], after: readonly KubeObject[]): Array<[KubeObject, KubeObject]> {
  const b = byKey(before);
  return after.flatMap((a) => (b.has(objectKey(a)) ? [[b.get(objectKey(a))!, a] as [KubeObject, KubeObject]] : []));
}

/** Deterministic JSON (sorted keys), for comparing values. */
export function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v));
}

export const same = (a: unknown, b: unknown): boolean => stable(a) === stable(b);

/** A value in one line of Markdown code: `x`. */
export function code(v: unknown): string {
  const s = typeof v === 'string' ? v : v === undefined ? '(none)' : stable(v);
  return `\`${s.replace(/`/g, "'")}\``;
}

/** The data values of every ConfigMap, parsed as YAML (JSON is YAML) where they parse. */
export function configMapDocs(objects: readonly KubeObject[]): Array<{ object: KubeObject; key: string; text: string; doc: any }> {
  const out: Array<{ object: KubeObject; key: string; text: string; doc: any }> = [];
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    for (const [key, text] of Object.entries((o.data ?? {}) as Record<string, string>)) {
      let doc: any;
      try {
        doc = key.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
      } catch {
        doc = undefined;
      }
      out.push({ object: o, key, text, doc });
    }
  }
  return out;
}

/**
 * A line diff (longest common subsequence) of two texts: lines prefixed with `- `, `+ ` or two spaces.
 * Small inputs only (expressions, labels).
 */
export function lineDiff(before: string, after: string): string[] {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push(`  ${a[i]}`); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  return out;
}

/** A fenced `diff` block, indented to sit under a list item. */
export function diffBlock(before: string, after: string, indent = '  '): string[] {
  return [`${indent}\`\`\`diff`, ...lineDiff(before, after).map((l) => `${indent}${l}`), `${indent}\`\`\``];
}
