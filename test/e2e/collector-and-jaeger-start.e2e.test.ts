import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OUTPUTS, configMapData, readObjects, synthesized } from '../helpers/synthesized';
import type { Manifest } from '../helpers/synth';
import { describeWithPinned } from '../helpers/tools';
import { startLocalCluster } from './harness/kube-apiserver';
import { otelToLoopback, withKubeconfigAuth } from './harness/otel-loopback';
import { ProcessGroup, httpGet, waitFor } from './harness/processes';

/**
 * `validate` (test/pinned-config-checks.test.ts) checks a configuration's shape; starting the program
 * also builds every component, binds every listener and starts the extensions, which is where a
 * port used twice, a telemetry setting or a storage option fails. Each output's collector and each
 * Jaeger with embedded storage (Badger) is started with its generated configuration (listen
 * addresses moved to free loopback ports, mount paths into a temporary directory, the collector's
 * Kubernetes client pointed at a loopback API server) and must report
 * healthy; then it is stopped. Jaeger on Elasticsearch is not started: there is no Elasticsearch here.
 */
let objects: Record<string, Manifest[]> = {};
beforeAll(async () => {
  const dirs = await synthesized(OUTPUTS);
  objects = Object.fromEntries(OUTPUTS.map((o) => [o, readObjects(dirs[o])]));
}, 240_000);

const work = mkdtempSync(join(tmpdir(), 'vigil-start-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function startsHealthy(name: string, bin: string, config: string, healthPath: string, ports: Map<string, number>, env: Record<string, string> = {}): Promise<void> {
  const procs = new ProcessGroup();
  const file = join(work, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, config);
  procs.start(name, bin, [`--config=file:${file}`], { env });
  try {
    await waitFor(`${name} healthy`, async () => {
      if (!procs.running(name)) throw new Error(`${name} exited:\n${procs.output(name).slice(-3000)}`);
      return (await httpGet(`http://127.0.0.1:${ports.get('13133')}${healthPath}`))?.status === 200;
    }, 30_000).catch((err) => {
      throw new Error(`${err}\n--- ${name}:\n${procs.output(name).slice(-4000)}`);
    });
    // Still running a moment later: no component failed after the health endpoint came up.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(procs.running(name), procs.output(name).slice(-3000)).toBe(true);
  } finally {
    await procs.stopAll();
  }
}

describeWithPinned(['otelcol-vigil', 'jaeger', 'etcd', 'kube-apiserver', 'kubectl'], 'the generated collector and Jaeger configurations start and report healthy', (bins) => {
  // The collector's k8sattributes processor needs a Kubernetes API: a loopback one.
  let cluster: Awaited<ReturnType<typeof startLocalCluster>> | undefined;
  beforeAll(async () => {
    cluster = await startLocalCluster({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'], kubectl: bins.kubectl }, 'collector-start');
  }, 120_000);
  afterAll(async () => cluster?.stop());

  for (const output of OUTPUTS) {
    it(`${output}: the collector`, async (ctx) => {
      const data = configMapData(objects[output], 'otel-collector-config');
      if (!data) return ctx.skip('this output deploys no collector');
      const ports = new Map<string, number>();
      const config = withKubeconfigAuth(await otelToLoopback(data['relay.yaml'], ports));
      await startsHealthy(`otelcol-${output}`, bins['otelcol-vigil'], config, '/', ports, { KUBECONFIG: cluster!.api.kubeconfig });
    });

    it(`${output}: Jaeger (2.13 stand-in)`, async (ctx) => {
      const data = configMapData(objects[output], 'jaeger-config');
      if (!data) return ctx.skip('Jaeger is disabled in this output');
      if (data['config.yaml'].includes('elasticsearch:')) return ctx.skip('Jaeger on Elasticsearch: no Elasticsearch here');
      const dir = mkdtempSync(join(work, 'jaeger-'));
      for (const [key, text] of Object.entries(data)) writeFileSync(join(dir, key), text);
      const ports = new Map<string, number>();
      const config = (await otelToLoopback(data['config.yaml'], ports))
        .replace(/\/badger\//g, `${dir}/badger/`).replace(/\/etc\/jaeger\/config\//g, `${dir}/`);
      await startsHealthy(`jaeger-${output}`, bins.jaeger, config, '/status', ports);
    });
  }
});
