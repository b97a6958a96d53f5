import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { LocalApiServer, LocalEtcd } from './harness/kube-apiserver';
import { EXAMPLE_OUTPUTS, synthesized } from '../helpers/synthesized';
import { describeWithPinned } from '../helpers/tools';

/**
 * `kubectl apply --server-side` of dist/ and of every example's output (and the variants) to a real
 * kube-apiserver 1.37 with etcd on loopback (tools/kubernetes). Each app gets an empty API server of
 * its own. Accepted means: exit 0 and not one warning — a Pod Security warning against the
 * namespace's labels, a deprecated API or an unknown field all fail. A second apply must change
 * nothing, and a change the API refuses (a StatefulSet's volumeClaimTemplates) must be caught.
 */
const DIST = resolve(__dirname, '..', '..', 'dist');
const VARIANTS = ['variants/everything', 'variants/homelab', 'variants/tailSampling', 'variants/metricsOnly'];

/** kind/namespace/name → resourceVersion of every object of an output, as the server has it. */
function resourceVersions(api: LocalApiServer, dir: string): Record<string, string> {
  const r = api.kubectl(['get', '-f', dir, '-o', 'json']);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout);
  const items: Array<{ kind: string; metadata: { namespace?: string; name: string; resourceVersion: string } }> = doc.kind === 'List' ? doc.items : [doc];
  return Object.fromEntries(items.map((o) => [`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion]));
}

describeWithPinned(['etcd', 'kube-apiserver', 'kubectl'], 'a real API server accepts every app (kubectl apply --server-side)', (bins) => {
  let etcd: LocalEtcd;
  let dirs: Record<string, string> = {};
  beforeAll(async () => {
    etcd = new LocalEtcd(bins.etcd);
    [dirs] = await Promise.all([synthesized([...EXAMPLE_OUTPUTS, ...VARIANTS]), etcd.start()]);
    dirs.dist = DIST;
  }, 240_000);
  afterAll(async () => etcd?.stop());

  for (const app of ['dist', ...EXAMPLE_OUTPUTS, ...VARIANTS]) {
    describe(app, () => {
      let api: LocalApiServer;
      beforeAll(async () => {
        api = new LocalApiServer({ kubeApiserver: bins['kube-apiserver'], kubectl: bins.kubectl }, etcd.url, `registry-${app.replace(/\W+/g, '-')}`);
        await api.start();
      }, 120_000);
      afterAll(async () => api?.stop());

      it('is accepted with zero warnings', () => {
        const r = api.applyDir(dirs[app]);
        expect(r.status, `${r.stderr}\n${r.stdout}`).toBe(0);
        expect(r.warnings).toEqual([]);
        expect(r.stdout).toMatch(/serverside-applied/);
      });

      it('a second apply changes nothing', () => {
        const before = resourceVersions(api, dirs[app]);
        const r = api.applyDir(dirs[app]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.warnings).toEqual([]);
        expect(resourceVersions(api, dirs[app])).toEqual(before);
      });

      if (app === 'dist') {
        it('a change the API refuses is caught: a StatefulSet\'s volumeClaimTemplates', () => {
          const changed = mkdtempSync(join(tmpdir(), 'vigil-refused-'));
          try {
            cpSync(dirs.dist, changed, { recursive: true });
            const file = readdirSync(changed).find((f) => /prometheus\.k8s\.yaml$/.test(f))!;
            const docs = YAML.parseAllDocuments(readFileSync(join(changed, file), 'utf8')).map((d) => d.toJSON());
            const sts = docs.find((o) => o?.kind === 'StatefulSet');
            const claim = sts.spec.volumeClaimTemplates[0];
            claim.spec.resources.requests.storage = '999Gi';
            writeFileSync(join(changed, file), docs.filter((o) => o).map((o) => YAML.stringify(o)).join('---\n'));
            const r = api.applyDir(changed);
            expect(r.status).not.toBe(0);
            expect(r.stderr).toMatch(/StatefulSet\.apps "prometheus" is invalid: spec: Forbidden: updates to statefulset spec for fields other than/);
          } finally {
            rmSync(changed, { recursive: true, force: true });
          }
        });
      }
    });
  }
});
