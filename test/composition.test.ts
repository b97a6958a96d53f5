import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  Alertmanager, Prometheus, STACK_COMPONENTS, StackComponent, VigilStack, buildOrder, nodeRulePack,
} from '../index';

function objectsOf(app: App): any[] {
  return YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJS());
}

describe('constructs on their own', () => {
  it('Prometheus needs no stack configuration: defaults are applied inside', () => {
    const app = Testing.app();
    new Prometheus(new Chart(app, 'c'), 'prometheus');
    const objects = objectsOf(app);
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    expect(sts.metadata).toMatchObject({ name: 'prometheus', namespace: 'monitoring' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    expect(sts.spec.template.spec.containers[0].args).toContain('--storage.tsdb.retention.time=15d');
  });

  it('two Prometheus in one namespace get their own names and selectors', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Prometheus(chart, 'a');
    new Prometheus(chart, 'b', { name: 'prometheus-apps' });
    const objects = objectsOf(app);
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('ConfigMap/prometheus-apps-config');
    expect(names).toContain('ClusterRole/vigil-prometheus-apps-monitoring');
    const selectors = objects.filter((o) => o.kind === 'Service' && !o.metadata.name.endsWith('headless')).map((o) => o.spec.selector);
    expect(selectors[0]).not.toEqual(selectors[1]);
    expect(selectors[1]['app.kubernetes.io/instance']).toBe('prometheus-apps');
  });

  it('takes Alertmanagers by object, and jobs, rule packs and Alertmanagers added after construction', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const prometheus = new Prometheus(chart, 'prometheus', { namespace: 'obs' });
    prometheus.addAlertmanager(new Alertmanager(chart, 'alertmanager', { namespace: 'obs', settings: { replicas: 3 } }));
    prometheus.addScrapeJob({ kind: 'static', job: 'api', groups: [{ targets: ['api:8080'] }] });
    prometheus.addRulePack(nodeRulePack());
    const objects = objectsOf(app);
    const config = YAML.parse(objects.find((o) => o.metadata.name === 'prometheus-config').data['prometheus.yml']);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toHaveLength(3);
    expect(config.scrape_configs.map((j: any) => j.job_name)).toEqual(['api']);
    expect(objects.find((o) => o.metadata.name === 'prometheus-rules-node')).toBeDefined();
    expect(() => prometheus.addScrapeJob({ kind: 'static', job: 'api', groups: [] })).toThrow(/scrape job named "api" exists already/);
    expect(() => prometheus.addRulePack(nodeRulePack())).toThrow(/rule file named "node"/);
  });

  it('exposes its ApiObjects as an escape hatch', () => {
    const app = Testing.app();
    const prometheus = new Prometheus(new Chart(app, 'c'), 'prometheus');
    const kinds = prometheus.apiObjects.map((o) => o.kind).sort();
    expect(kinds).toEqual(['ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'PodDisruptionBudget', 'Service', 'Service', 'ServiceAccount', 'StatefulSet']);
    prometheus.apiObjects.find((o) => o.kind === 'StatefulSet')!.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'monitoring'));
    expect(objectsOf(app).find((o) => o.kind === 'StatefulSet').spec.template.spec.priorityClassName).toBe('monitoring');
  });
});

describe('stacks in one App', () => {
  it('two stacks in different namespaces synthesize, each with its own charts', () => {
    const app = Testing.app();
    new VigilStack(app, 'vigil');
    new VigilStack(app, 'staging', { config: { namespaces: { monitoring: 'monitoring-staging', agents: 'monitoring-staging-agents' } } });
    const names = app.charts.map((c) => c.node.id);
    expect(names).toContain('prometheus');
    expect(names).toContain('staging-prometheus');
    const objects = objectsOf(app);
    expect(objects.filter((o) => o.kind === 'StatefulSet' && o.metadata.name === 'prometheus').map((o) => o.metadata.namespace).sort())
      .toEqual(['monitoring', 'monitoring-staging']);
  });

  it('two objects of one kind, namespace and name fail synth, naming both paths', () => {
    const app = Testing.app();
    new VigilStack(app, 'vigil');
    new VigilStack(app, 'again');
    expect(() => app.synthYaml()).toThrow(/two StatefulSet objects named "prometheus" in namespace "monitoring": prometheus\/prometheus\/workload\/resource and again-prometheus\/prometheus\/workload\/resource/);
  });

  it('the same name in another namespace, or another kind, is no collision', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new Prometheus(chart, 'a', { namespace: 'one' });
    new Prometheus(chart, 'b', { namespace: 'two' });
    new VigilStack(app, 'vigil', { components: [] });
    expect(() => app.synthYaml()).not.toThrow();
  });
});

describe('the component list', () => {
  it('exposes the deployed components and their constructs', () => {
    const app = Testing.app();
    const stack = new VigilStack(app, 'vigil', { config: { jaeger: { enabled: false } } });
    expect([...stack.components.keys()]).toEqual(['alertmanager', 'prometheus', 'node-exporter', 'kube-state-metrics', 'blackbox-exporter', 'loki', 'promtail', 'grafana']);
    expect(stack.components.get('node-exporter')).toBeDefined();
    expect(stack.components.get('prometheus')).toBeInstanceOf(Prometheus);
  });

  it('a component added to the list deploys, scrapes and is admitted by its declaration alone', () => {
    const extra: StackComponent = {
      name: 'example-exporter',
      enabled: () => true,
      scrapeJobs: () => [{ kind: 'static', job: 'example-exporter', groups: [{ targets: ['example:9999'] }] }],
      ingress: () => [{ ports: [{ port: 9999 }], from: ['prometheus', 'not-deployed'] }],
      build: () => undefined,
    };
    const app = Testing.app();
    new VigilStack(app, 'vigil', { components: [...STACK_COMPONENTS, extra] });
    const objects = objectsOf(app);
    const config = YAML.parse(objects.find((o) => o.metadata.name === 'prometheus-config').data['prometheus.yml']);
    expect(config.scrape_configs.map((j: any) => j.job_name)).toContain('example-exporter');
    const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'example-exporter-ingress');
    expect(policy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/part-of': 'vigil' } } }], ports: [{ port: 9999, protocol: 'TCP' }] }]);
  });

  it('builds components after those they need, and refuses a cycle', () => {
    const order = buildOrder(STACK_COMPONENTS).map((k) => k.name);
    expect(order.indexOf('alertmanager')).toBeLessThan(order.indexOf('prometheus'));
    expect(order.indexOf('loki')).toBeLessThan(order.indexOf('promtail'));
    expect(order.indexOf('grafana')).toBe(order.length - 1);
    const a: StackComponent = { name: 'a', after: ['b'], enabled: () => true, build: () => undefined };
    const b: StackComponent = { name: 'b', after: ['a'], enabled: () => true, build: () => undefined };
    expect(() => buildOrder([a, b])).toThrow(/cycle: a \(after b\); b \(after a\)/);
  });

  it('every component name is unique, and reserves its own job names', () => {
    const names = STACK_COMPONENTS.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    const jobs = STACK_COMPONENTS.flatMap((k) => k.jobNames ?? []);
    expect(new Set(jobs).size).toBe(jobs.length);
  });
});
