import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configMapData, readObjects, synthesized } from '../helpers/synthesized';
import { describeWithPinned } from '../helpers/tools';
import { startLocalCluster } from './harness/kube-apiserver';
import { otelToLoopback, withKubeconfigAuth } from './harness/otel-loopback';
import { ProcessGroup, httpGet, waitFor } from './harness/processes';

/**
 * Spans sent over OTLP to the real collector (otelcol-vigil, 0.158.0) running the generated
 * configuration of the `tailSampling` variant reach the real Jaeger running its generated
 * configuration (Badger), and Jaeger's query API returns them: tail sampling keeps the trace with an
 * error and drops the ordinary fast one (the variant keeps 0 % of ordinary traces).
 *
 * The only changes to the generated files: listen addresses 0.0.0.0:<port> become free loopback
 * ports, the collector's Jaeger endpoint becomes that loopback address, its Kubernetes client
 * reads a kubeconfig for a loopback API server instead of a service account, and the mount paths
 * (/badger, /etc/jaeger/config) move into a temporary directory.
 *
 * Jaeger is the 2.13.0 stand-in (tools/jaeger/go.mod says why 2.20.0 cannot be built).
 */
const OUTPUT = 'variants/tailSampling';

describeWithPinned(['otelcol-vigil', 'jaeger', 'etcd', 'kube-apiserver', 'kubectl'], 'OTLP → the generated collector (tail sampling) → the generated Jaeger → its query API', (bins) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-traces-'));
  const procs = new ProcessGroup();
  const jaegerPorts = new Map<string, number>();
  const collectorPorts = new Map<string, number>();
  let cluster: Awaited<ReturnType<typeof startLocalCluster>> | undefined;

  beforeAll(async () => {
    const objs = readObjects((await synthesized([OUTPUT]))[OUTPUT]);
    const jaegerData = configMapData(objs, 'jaeger-config')!;
    for (const [key, text] of Object.entries(jaegerData)) writeFileSync(join(dir, key), text);
    const jaegerConfig = (await otelToLoopback(jaegerData['config.yaml'], jaegerPorts))
      .replace(/\/badger\//g, `${dir}/badger/`).replace(/\/etc\/jaeger\/config\//g, `${dir}/`);
    writeFileSync(join(dir, 'jaeger.yaml'), jaegerConfig);
    procs.start('jaeger', bins.jaeger, [`--config=file:${join(dir, 'jaeger.yaml')}`]);

    // The collector's k8sattributes processor needs a Kubernetes API: a loopback one.
    cluster = await startLocalCluster({ etcd: bins.etcd, kubeApiserver: bins['kube-apiserver'], kubectl: bins.kubectl }, 'traces');
    const collector = withKubeconfigAuth(await otelToLoopback(configMapData(objs, 'otel-collector-config')!['relay.yaml'], collectorPorts))
      .replace(/endpoint: jaeger\.[\w.-]+:4317/, `endpoint: 127.0.0.1:${jaegerPorts.get('4317')}`);
    writeFileSync(join(dir, 'relay.yaml'), collector);
    procs.start('otelcol', bins['otelcol-vigil'], [`--config=file:${join(dir, 'relay.yaml')}`], { env: { KUBECONFIG: cluster.api.kubeconfig } });

    await waitFor('Jaeger and the collector to be healthy', async () => {
      for (const name of ['jaeger', 'otelcol']) if (!procs.running(name)) throw new Error(`${name} exited:\n${procs.output(name).slice(-3000)}`);
      const j = await httpGet(`http://127.0.0.1:${jaegerPorts.get('13133')}/status`);
      const c = await httpGet(`http://127.0.0.1:${collectorPorts.get('13133')}/`);
      return j?.status === 200 && c?.status === 200;
    }, 60_000);
  }, 120_000);

  afterAll(async () => {
    await procs.stopAll();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the trace with an error and drops the fast ordinary one', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const trace = (error: boolean) => ({
      traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), error,
    });
    const [bad, good] = [trace(true), trace(false)];
    const span = (t: ReturnType<typeof trace>) => ({
      traceId: t.traceId, spanId: t.spanId, name: t.error ? 'GET /fails' : 'GET /works', kind: 2,
      startTimeUnixNano: String(now), endTimeUnixNano: String(now + 5_000_000n),
      status: t.error ? { code: 2, message: 'boom' } : { code: 1 },
    });
    const body = {
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'vigil-e2e' } }] },
        scopeSpans: [{ scope: { name: 'vigil-e2e' }, spans: [span(bad), span(good)] }],
      }],
    };
    const sent = await fetch(`http://127.0.0.1:${collectorPorts.get('4318')}/v1/traces`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect(sent.status, await sent.text()).toBe(200);

    const query = (id: string) => httpGet(`http://127.0.0.1:${jaegerPorts.get('16686')}/api/traces/${id}`);
    const found = await waitFor('the error trace in Jaeger', async () => {
      const r = await query(bad.traceId);
      return r?.status === 200 ? JSON.parse(r.body) : undefined;
    }, 60_000, 1_000).catch((err) => {
      throw new Error(`${err}\n--- collector:\n${procs.output('otelcol').slice(-3000)}\n--- jaeger:\n${procs.output('jaeger').slice(-3000)}`);
    });
    expect(found.data[0].spans[0].operationName).toBe('GET /fails');
    expect(found.data[0].processes[found.data[0].spans[0].processID].serviceName).toBe('vigil-e2e');
    // Both spans were in one batch and decided after the same decision_wait: the good one is gone.
    expect((await query(good.traceId))?.status).toBe(404);
  });
});
