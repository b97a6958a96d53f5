import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { LocalApiServer, LocalEtcd } from './harness/kube-apiserver';
import { EXAMPLE_OUTPUTS, synthesized } from '../helpers/synthesized';
import { describeWithPinned } from '../helpers/tools';

/**
 * `kubectl apply --server-side` of the default app's output (what `npm run synth` writes to dist/;
 * synthesized here from the code, which test/golden-output.test.ts holds equal to the committed dist/) and of
 * every example's output (and the variants) to a real
 * kube-apiserver 1.37 with etcd on loopback (tools/kubernetes). Each app gets an empty API server of
 * its own. Accepted means: exit 0 and not one warning — a Pod Security warning against the
 * namespace's labels, a deprecated API or an unknown field all fail. A second apply must change
 * nothing, and a change the API refuses (a StatefulSet's volumeClaimTemplates) must be caught.
 * Pruning with the README's apply command is tested in test/e2e/prune.e2e.test.ts.
 */
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
    [dirs] = await Promise.all([synthesized(['default', ...EXAMPLE_OUTPUTS, ...VARIANTS]), etcd.start()]);
  }, 240_000);
  afterAll(async () => etcd?.stop());

  for (const app of ['default', ...EXAMPLE_OUTPUTS, ...VARIANTS]) {
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

      if (app === 'default') {
        it('a change the API refuses is caught: a StatefulSet\'s volumeClaimTemplates', () => {
          const changed = mkdtempSync(join(tmpdir(), 'vigil-refused-'));
          try {
            cpSync(dirs.default, changed, { recursive: true });
            const file = readdirSync(changed).find((f) => /prometheus\.k8s\.yaml$/.test(f))!;
            const docs = YAML.parseAllDocuments(readFileSync(join(changed, file), 'utf8')).map((d) => d.toJSON());
            const sts = docs.find((o) => o?.kind === 'StatefulSet');
            const claim = sts.spec.volumeClaimTemplates[0];
            claim.spec.resources.requests.storage = '999Gi';
            writeFileSync(join(changed, file), docs.filter((o) => o).map((o) => YAML.stringify(o)).join('---\n'));
            const r = api.applyDir(changed);
            expect(r.status).not.toBe(0);
            // pkg/apis/apps/validation/validation.go (ValidateStatefulSetUpdate) at v1.37.2.
            expect(r.stderr).toMatch(/StatefulSet "prometheus" is invalid: spec\.volumeClaimTemplates: .*field is immutable/);
          } finally {
            rmSync(changed, { recursive: true, force: true });
          }
        });

        it('a Pod Security violation is caught as a warning: a privileged container in the monitoring namespace', () => {
          const file = join(mkdtempSync(join(tmpdir(), 'vigil-pss-')), 'privileged.yaml');
          try {
            writeFileSync(file, YAML.stringify({
              apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'pss-probe', namespace: 'monitoring' },
              spec: {
                selector: { matchLabels: { app: 'pss-probe' } },
                template: { metadata: { labels: { app: 'pss-probe' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.37', securityContext: { privileged: true } }] } },
              },
            }));
            const r = api.kubectl(['apply', '--server-side', '--field-manager=vigil', '-f', file]);
            expect(r.warnings.join('\n')).toMatch(/would violate PodSecurity "restricted:latest"/);
          } finally {
            rmSync(dirname(file), { recursive: true, force: true });
          }
        });
      }
    });
  }
});
