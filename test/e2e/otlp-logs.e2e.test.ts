import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { configMapData, readObjects, synthesized } from '../helpers/synthesized';
import { describeWithPinned } from '../helpers/tools';
import { otelToLoopback } from './harness/otel-loopback';
import { ProcessGroup, freePort, httpGet, waitFor } from './harness/processes';
import { Sink } from './harness/sink';

/**
 * OTLP logs through the real collector (otelcol-vigil, 0.158.0) running the generated configuration
 * of the `homelab` variant (app streams security, audit, billing; extra redaction fields): what it
 * forwards to Loki's OTLP endpoint carries the node agents' labels (`namespace`, `app` as resource
 * attributes, `level` and an allowed `stream` as log attributes, which Loki's generated otlp_config
 * indexes) and no secret. Loki itself is not built (AGPL, see docs/testing.md), so a local HTTP sink
 * stands in for it and the exporter sends JSON instead of protobuf.
 *
 * Changes to the generated file: loopback listen ports; Loki's endpoint becomes the sink (with
 * `encoding: json`, `compression: none`); the k8sattributes processor is left out (it needs the Kubernetes API), so the
 * test sends `k8s.namespace.name` itself as an SDK resource detector would.
 */
const OUTPUT = 'variants/homelab';

describeWithPinned(['otelcol-vigil'], 'OTLP logs → the generated collector → Loki\'s OTLP endpoint, labelled and redacted like the agents\' lines', (bins) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-otlp-logs-'));
  const procs = new ProcessGroup();
  const ports = new Map<string, number>();
  const loki = new Sink();

  beforeAll(async () => {
    const objs = readObjects((await synthesized([OUTPUT]))[OUTPUT]);
    const lokiPort = await freePort();
    await loki.listen(lokiPort);
    const generated = configMapData(objs, 'otel-collector-config')!['relay.yaml'];
    expect(generated).toMatch(/logs:\n\s+receivers: \[otlp\]\n\s+processors: \[memory_limiter, k8sattributes, transform\/otlp-logs, batch\]/);
    const config = (await otelToLoopback(generated, ports))
      .replace(/( +)endpoint: http:\/\/loki\.[\w.-]+:3100\/otlp/, (_m, indent: string) => `${indent}endpoint: http://127.0.0.1:${lokiPort}/otlp\n${indent}encoding: json\n${indent}compression: none`)
      .replaceAll('k8sattributes, ', '');
    expect(config).not.toMatch(/processors: \[[^\]]*k8sattributes/);
    writeFileSync(join(dir, 'relay.yaml'), config);
    procs.start('otelcol', bins['otelcol-vigil'], [`--config=file:${join(dir, 'relay.yaml')}`]);
    await waitFor('the collector to be healthy', async () => {
      if (!procs.running('otelcol')) throw new Error(`otelcol exited:\n${procs.output('otelcol').slice(-3000)}`);
      return (await httpGet(`http://127.0.0.1:${ports.get('13133')}/`))?.status === 200;
    }, 60_000);
  }, 120_000);

  afterAll(async () => {
    await procs.stopAll();
    await loki.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards namespace, app, level and an allowed stream, drops other streams and secrets', async () => {
    const now = String(BigInt(Date.now()) * 1_000_000n);
    const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const body = {
      resourceLogs: [{
        resource: { attributes: [str('service.name', 'medianest-backend'), str('k8s.namespace.name', 'medianest'), str('k8s.pod.name', 'backend-0')] },
        scopeLogs: [{
          scope: { name: 'vigil-e2e' },
          logRecords: [
            { timeUnixNano: now, severityText: 'WARNING', body: { stringValue: '{"msg":"login","password":"hunter2","sessionToken":"abc"}' }, attributes: [str('stream', 'security'), str('api_token', 'xyz')] },
            { timeUnixNano: now, severityNumber: 17, severityText: 'ERROR', body: { stringValue: 'payment failed token=tok_123 amount=5' }, attributes: [str('stream', 'marketing')] },
            { timeUnixNano: now, body: { stringValue: 'no severity' } },
          ],
        }],
      }],
    };
    const sent = await fetch(`http://127.0.0.1:${ports.get('4318')}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(sent.status).toBe(200);
    await waitFor('the logs to reach Loki\'s OTLP endpoint', async () => loki.received.some((r) => r.path === '/otlp/v1/logs'), 30_000);
    const pushed = loki.received.find((r) => r.path === '/otlp/v1/logs')!.body;
    const rl = pushed.resourceLogs[0];
    const attrs = (list: Array<{ key: string; value: { stringValue?: string } }>) => Object.fromEntries(list.map((a) => [a.key, a.value.stringValue]));
    expect(attrs(rl.resource.attributes)).toMatchObject({ namespace: 'medianest', app: 'medianest-backend', pod: 'backend-0' });
    const [first, second, third] = rl.scopeLogs[0].logRecords;
    expect(attrs(first.attributes)).toEqual({ level: 'warn', stream: 'security' });
    expect(JSON.parse(first.body.stringValue)).toEqual({ msg: 'login', password: '[REDACTED]', sessionToken: '[REDACTED]' });
    expect(attrs(second.attributes)).toEqual({ level: 'error' });
    expect(second.body.stringValue).toBe('payment failed token=[REDACTED] amount=5');
    expect(attrs(third.attributes ?? [])).toEqual({});
    expect(JSON.stringify(pushed)).not.toMatch(/hunter2|xyz|tok_123/);
  }, 60_000);
});
