import { App } from 'cdk8s';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { VigilStack } from '../../charts/vigil-stack';
import { Manifest } from '../helpers/synth';
import { describeWithTool } from '../helpers/tools';
import { DemoApp } from './harness/demo-app';
import { LocalStack } from './harness/local-stack';
import { freePort, waitFor } from './harness/processes';

describeWithTool('prometheus', 'the generated scrape configuration, run in the real binaries', () => {
  const demo = new DemoApp();
  let stack: LocalStack;

  beforeAll(async () => {
    const appPort = await freePort();
    await demo.listen(appPort);
    const app = new App();
    // Intervals are shortened through the typed configuration, not by editing YAML.
    const vigil = new VigilStack(app, 'vigil', {
      config: {
        prometheus: { scrapeInterval: '1s', scrapeTimeout: '1s', evaluationInterval: '1s' },
        scrapeTargets: [{ name: 'demo-api', namespace: 'demo', selector: { app: 'demo' }, port: 'http' }],
        healthChecks: [
          { name: 'demo-live', url: 'http://demo.demo.svc:3000/health/live', interval: '2s', timeout: '1s' },
          { name: 'demo-ready', url: 'http://demo.demo.svc:3000/health/ready', interval: '2s', timeout: '1s', expectedStatus: [200] },
        ],
        postgres: [{ name: 'demo-db', host: 'postgres.demo.svc', username: { name: 'db', key: 'user' }, password: { name: 'db', key: 'password' } }],
        redis: [{ name: 'demo-cache', address: 'redis://redis.demo.svc:6379' }],
      },
    });
    const objects: Manifest[] = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON());
    stack = new LocalStack({
      config: vigil.config,
      objects,
      appTargets: { 'demo-api': `127.0.0.1:${appPort}` },
      rewriteUrl: (url) => url.replace('demo.demo.svc:3000', `127.0.0.1:${appPort}`),
    });
    await stack.start();
  });

  afterAll(async () => {
    await stack?.stop();
    await demo.close();
  });

  it('keeps every job that has a local stand-in', () => {
    expect(stack.droppedJobs).toEqual(['grafana', 'kube-state-metrics', 'loki', 'promtail', 'jaeger', 'kubelet', 'cadvisor', 'kubernetes-services', 'kubernetes-pods']);
  });

  it('scrapes every target up', async () => {
    const expected = [
      'alertmanager', 'blackbox-exporter', 'demo-api', 'health-check-demo-live', 'health-check-demo-ready', 'node-exporter', 'postgres-exporter', 'prometheus', 'redis-exporter',
    ];
    const up = await waitFor('every target to be scraped', async () => {
      const r = await stack.query('up');
      return r.length === expected.length ? r : undefined;
    }, 60_000);
    expect(up.map((s) => s.metric.job).sort()).toEqual(expected);
    expect(up.filter((s) => s.value[1] !== '1').map((s) => s.metric.job)).toEqual([]);
  });

  it('labels database and Redis series with their declared names, and probes health checks', async () => {
    await waitFor('pg_up{database="demo-db"} == 1', async () => (await stack.query('pg_up{database="demo-db"} == 1')).length === 1, 30_000);
    await waitFor('redis_up{redis="demo-cache"} == 1', async () => (await stack.query('redis_up{redis="demo-cache"} == 1')).length === 1, 30_000);
    const probes = await waitFor('probe_success for both checks', async () => {
      const r = await stack.query('probe_success');
      return r.length === 2 ? r : undefined;
    }, 30_000);
    expect(probes.map((p) => [p.metric.check, p.value[1]]).sort()).toEqual([['demo-live', '1'], ['demo-ready', '1']]);
  });

  it('sees a failing readiness check', async () => {
    demo.ready = false;
    await waitFor('probe_success{check="demo-ready"} == 0', async () => (await stack.query('probe_success{check="demo-ready"} == 0')).length === 1, 30_000);
    demo.ready = true;
  });
});
