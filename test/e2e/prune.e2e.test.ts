import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VigilStack } from '../../charts/vigil-stack';
import { NEVER_PRUNED, PRUNE_ALLOWLIST, PRUNE_SELECTOR, pruneCommandArgs } from '../../scripts/review/prune';
import { LocalApiServer, LocalEtcd } from './harness/kube-apiserver';
import { readObjects, synthesized } from '../helpers/synthesized';
import { describeWithPinned } from '../helpers/tools';

/**
 * Pruning on a real kube-apiserver 1.37 with etcd: apply the default app's output with the README's
 * command, disable a component (Jaeger), apply the new output with the same command, and check that
 * exactly the objects the output no longer contains are gone (claims and namespaces are never pruned),
 * while every other object is untouched.
 */
const ROOT = join(__dirname, '..', '..');

/** The README's apply command, as an argument list (the shell block under "Changing a running stack"). */
function readmePruneCommand(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Changing a running stack'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const line = block.replace(/\\\n\s*/g, '').split('\n').find((l) => /^kubectl apply .*--prune/.test(l.trim()));
  if (!line) throw new Error('README.md: no "kubectl apply … --prune" line under "Changing a running stack"');
  return line.replace(/\s+#.*$/, '').trim().split(/\s+/);
}

const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`;

describeWithPinned(['etcd', 'kube-apiserver', 'kubectl'], 'pruning with the README\'s apply command (kubectl apply --prune)', (bins) => {
  let etcd: LocalEtcd;
  let api: LocalApiServer;
  let before = '';
  let after = '';
  // A second, separate Vigil app in the same cluster (its own monitoring namespaces).
  let other = '';
  const tmp = mkdtempSync(join(tmpdir(), 'vigil-prune-'));
  beforeAll(async () => {
    etcd = new LocalEtcd(bins.etcd);
    const [dirs] = await Promise.all([synthesized(['default']), etcd.start()]);
    before = dirs.default;
    after = join(tmp, 'no-jaeger');
    const app = new App({ outdir: after });
    new VigilStack(app, 'vigil', { config: { profile: 'homelab', jaeger: { enabled: false } } });
    app.synth();
    other = join(tmp, 'other');
    const otherApp = new App({ outdir: other });
    new VigilStack(otherApp, 'vigil', { config: { profile: 'homelab', namespaces: { monitoring: 'observability', agents: 'observability-agents' } } });
    otherApp.synth();
    api = new LocalApiServer({ kubeApiserver: bins['kube-apiserver'], kubectl: bins.kubectl }, etcd.url, 'registry-prune');
    await api.start();
  }, 240_000);
  afterAll(async () => {
    await api?.stop();
    await etcd?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Every object the selector finds among the allow-listed kinds (and the never-pruned ones), as the server has it. */
  function live(selector = PRUNE_SELECTOR): string[] {
    const kinds = [...PRUNE_ALLOWLIST.map((e) => { const [g, , k] = e.split('/'); return g === 'core' ? k.toLowerCase() : `${k.toLowerCase()}.${g}`; }), 'namespaces', 'persistentvolumeclaims'];
    const r = api.kubectl(['get', kinds.join(','), '-A', '-l', selector, '-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout).items as Array<{ kind: string; metadata: { namespace?: string; name: string } }>).map(key).sort();
  }

  function applyAsReadme(dir: string) {
    const [cmd, ...args] = readmePruneCommand();
    expect(cmd).toBe('kubectl');
    return api.kubectl(args.map((a) => (a === 'dist/' ? `${dir}/` : a)));
  }

  it('the README gives the command this suite runs, with every allow-listed kind', () => {
    const args = readmePruneCommand();
    expect(args.slice(0, 4)).toEqual(['kubectl', 'apply', '-f', 'dist/']);
    expect(args).toContain('--prune');
    expect(args.join(' ')).toContain(`-l ${PRUNE_SELECTOR}`);
    expect(args.filter((a) => a.startsWith('--prune-allowlist=')).map((a) => a.slice('--prune-allowlist='.length))).toEqual([...PRUNE_ALLOWLIST]);
  });

  it('applies the default output with zero warnings, pruning nothing', () => {
    const r = applyAsReadme(before);
    expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(r.warnings).toEqual([]);
    expect(r.stdout).not.toMatch(/ pruned$/m);
    expect(live()).toEqual(readObjects(before).map(key).sort());
  });

  it('applies a second Vigil app with its own selector, leaving the first alone', () => {
    const [, ...args] = pruneCommandArgs(`${other}/`, 'observability');
    const r = api.kubectl(args);
    expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(r.stdout).not.toMatch(/ pruned$/m);
    expect(live('app.kubernetes.io/part-of=vigil,vigil.dev/stack=observability')).toEqual(readObjects(other).map(key).sort());
    expect(live()).toEqual(readObjects(before).map(key).sort());
    // Without the stack label in the selector, the first app's apply would delete the second's
    // cluster-scoped objects (kubectl lists those cluster-wide).
    const partOfOnly = readmePruneCommand().slice(1).map((a) => (a === PRUNE_SELECTOR ? 'app.kubernetes.io/part-of=vigil' : a === 'dist/' ? `${before}/` : a));
    const dry = api.kubectl([...partOfOnly, '--dry-run=client']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^clusterrole\.rbac\.authorization\.k8s\.io\/\S+observability\S* pruned \(dry run\)$/m);
  });

  it('with Jaeger disabled, removes exactly its objects and keeps every other one as it was', () => {
    const beforeObjects = readObjects(before);
    const afterKeys = new Set(readObjects(after).map(key));
    const gone = beforeObjects.filter((o) => !afterKeys.has(key(o)));
    // The disabled component's objects are what the output lost (none of them a namespace).
    expect(gone.length).toBeGreaterThan(3);
    expect(gone.every((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'jaeger' || o.kind === 'NetworkPolicy')).toBe(true);
    expect(gone.some((o) => NEVER_PRUNED.includes(o.kind))).toBe(false);
    const uids = (): Record<string, string> => {
      const r = api.kubectl(['get', '-f', after, '-o', 'json']);
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      return Object.fromEntries((doc.kind === 'List' ? doc.items : [doc]).map((o: any) => [key(o), o.metadata.uid]));
    };
    const kept = uids();

    const r = applyAsReadme(after);
    expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(r.warnings).toEqual([]);
    const pruned = r.stdout.split('\n').filter((l) => / pruned$/.test(l)).sort();
    expect(pruned.length).toBe(gone.length);
    expect(live()).toEqual([...afterKeys].sort());
    // Nothing else was deleted and re-created.
    expect(uids()).toEqual(kept);
    // The second app is untouched.
    expect(live('app.kubernetes.io/part-of=vigil,vigil.dev/stack=observability')).toEqual(readObjects(other).map(key).sort());
  });

  it('a second apply prunes nothing', () => {
    const r = applyAsReadme(after);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/ pruned$/m);
  });
});

