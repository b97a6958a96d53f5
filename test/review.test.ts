import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseArgs } from '../scripts/review';
import { reviewDashboards } from '../scripts/review/dashboards';
import { renderReview, review } from '../scripts/review/markdown';
import { KubeObject, lineDiff } from '../scripts/review/objects';
import { reviewRouting } from '../scripts/review/routing';
import { reviewRules, thresholdChanges } from '../scripts/review/rules';
import { durationSeconds, isEmpty, reviewSafety, sizeBytes } from '../scripts/review/safety';
import { reviewWorkloads } from '../scripts/review/workloads';

/**
 * `npm run review`: each kind of change, built as a before/after pair of small outputs, and the exact
 * lines the review prints for it.
 */
const ROOT = join(__dirname, '..');
const labels = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'vigil', 'app.kubernetes.io/managed-by': 'cdk8s' });

function configMap(name: string, data: Record<string, string>, namespace = 'monitoring'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: labels(name.split('-')[0]) }, data };
}

function rulesCm(rules: object[], name = 'prometheus-rules-node'): KubeObject {
  return configMap(name, { 'node.yml': YAML.stringify({ groups: [{ name: 'node.alerts', rules }] }) });
}

const cpuAlert = (over: Record<string, unknown> = {}) => ({
  alert: 'NodeHighCpuUsage', expr: 'instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.9', for: '15m',
  labels: { severity: 'warning' }, annotations: { summary: 'Node CPU usage is above 90%.' }, ...over,
});

function statefulSet(name: string, over: { replicas?: number; size?: string; args?: string[]; selector?: Record<string, string>; serviceName?: string; podManagementPolicy?: string; storageClassName?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'monitoring', labels: labels(name) },
    spec: {
      replicas: over.replicas ?? 1, serviceName: over.serviceName ?? `${name}-headless`, podManagementPolicy: over.podManagementPolicy ?? 'OrderedReady',
      selector: { matchLabels: over.selector ?? { 'app.kubernetes.io/name': name } },
      template: { spec: { containers: [{ name, image: `${name}:1.0`, args: over.args ?? [] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], ...(over.storageClassName ? { storageClassName: over.storageClassName } : {}), resources: { requests: { storage: over.size ?? '10Gi' } } } }],
    },
  };
}

function deployment(name: string, container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, kind = 'Deployment'): KubeObject {
  return {
    apiVersion: 'apps/v1', kind, metadata: { name, namespace: 'monitoring', labels: labels(name) },
    spec: {
      ...(kind === 'Deployment' ? { replicas: 1 } : {}), selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { spec: { containers: [{ name, image: `${name}:1.0`, ...container }] } }, ...spec,
    },
  };
}

describe('alerts and recording rules', () => {
  it('a changed threshold: before → after', () => {
    expect(reviewRules([rulesCm([cpuAlert()])], [rulesCm([cpuAlert({ expr: 'instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.95' })])])).toEqual([
      '- changed alert `NodeHighCpuUsage`: threshold `> 0.9 → > 0.95`',
    ]);
  });

  it('for and severity: before → after, in one line', () => {
    expect(reviewRules([rulesCm([cpuAlert()])], [rulesCm([cpuAlert({ for: '30m', labels: { severity: 'critical' } })])])).toEqual([
      '- changed alert `NodeHighCpuUsage`: for `15m → 30m`; severity `warning → critical`',
    ]);
  });

  it('an expression change shows as a small diff', () => {
    expect(reviewRules([rulesCm([cpuAlert()])], [rulesCm([cpuAlert({ expr: 'avg by (node) (instance:node_cpu_utilisation:rate5m) > 0.9' })])])).toEqual([
      '- changed alert `NodeHighCpuUsage`: expression',
      '  ```diff',
      '  - instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.9',
      '  + avg by (node) (instance:node_cpu_utilisation:rate5m) > 0.9',
      '  ```',
    ]);
  });

  it('labels and annotations: added, removed, changed, one line each', () => {
    const after = cpuAlert({ labels: { severity: 'warning', team: 'ops' }, annotations: { summary: 'CPU high.', runbook_url: 'https://x' } });
    expect(reviewRules([rulesCm([cpuAlert()])], [rulesCm([after])])).toEqual([
      '- changed alert `NodeHighCpuUsage`',
      '  - label `team` added: `ops`',
      '  - annotation `runbook_url` added: `https://x`',
      '  - annotation `summary`: `Node CPU usage is above 90%. → CPU high.`',
    ]);
  });

  it('added and removed alerts and recording rules, with where they live', () => {
    const rec = { record: 'instance:node_cpu_utilisation:rate5m', expr: '1 - avg(rate(node_cpu_seconds_total[5m]))' };
    const disk = { alert: 'NodeDiskFull', expr: 'node_filesystem_avail_bytes == 0', for: '5m', labels: { severity: 'critical' } };
    // In name order.
    expect(reviewRules([rulesCm([cpuAlert(), rec])], [rulesCm([disk])])).toEqual([
      '- removed recording rule `instance:node_cpu_utilisation:rate5m` (prometheus-rules-node/node.yml, group node.alerts)',
      '- added alert `NodeDiskFull` (prometheus-rules-node/node.yml, group node.alerts, critical, for 5m): `node_filesystem_avail_bytes == 0`',
      '- removed alert `NodeHighCpuUsage` (prometheus-rules-node/node.yml, group node.alerts)',
    ]);
  });

  it('two alerts of one name are told apart by severity', () => {
    const warn = cpuAlert();
    const crit = cpuAlert({ expr: 'instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.97', labels: { severity: 'critical' } });
    expect(reviewRules([rulesCm([warn, crit])], [rulesCm([warn, { ...crit, expr: crit.expr.replace('0.97', '0.99') }])])).toEqual([
      '- changed alert `NodeHighCpuUsage`: threshold `> 0.97 → > 0.99`',
    ]);
  });

  it('Loki rule files are read the same way', () => {
    const logs = (n: string) => configMap('loki-rules-logs', { 'logs.yml': YAML.stringify({ groups: [{ name: 'logs', rules: [{ alert: 'LogErrors', expr: `sum(rate({level="error"}[5m])) > ${n}`, for: '10m' }] }] }) });
    expect(reviewRules([logs('1')], [logs('5')])).toEqual(['- changed alert `LogErrors`: threshold `> 1 → > 5`']);
  });

  it('thresholds: only compared numbers count; a changed range or label is an expression change', () => {
    expect(thresholdChanges('x > 0.9 and y < 10', 'x > 0.95 and y < 10')).toEqual(['> 0.9 → > 0.95']);
    expect(thresholdChanges('rate(x[5m]) > 1', 'rate(x[10m]) > 1')).toBeUndefined();
    expect(thresholdChanges('up == 0', 'up == 0')).toEqual([]);
  });
});

describe('routing', () => {
  const am = (doc: object) => configMap('alertmanager-config', { 'alertmanager.yml': YAML.stringify(doc) });
  const base = {
    global: { resolve_timeout: '5m' },
    route: { receiver: 'default', group_by: ['alertname'], routes: [{ receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], repeat_interval: '5m' }] },
    receivers: [{ name: 'default' }, { name: 'heartbeat' }],
    inhibit_rules: [{ name: 'critical-mutes-warning', source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'] }],
    time_intervals: [{ name: 'office-hours', time_intervals: [{ weekdays: ['monday:friday'] }] }],
  };

  it('receivers, routes, inhibit rules, time intervals and global settings: added, removed, changed', () => {
    const after = {
      global: { resolve_timeout: '10m' },
      route: {
        receiver: 'default', group_by: ['alertname', 'job'],
        routes: [
          { receiver: 'pager', matchers: ['severity="critical"'] },
        ],
      },
      receivers: [{ name: 'default', slack_configs: [{ channel: '#alerts' }] }, { name: 'pager', pagerduty_configs: [{ routing_key_file: '/etc/pd/key' }] }],
      inhibit_rules: [],
      time_intervals: [{ name: 'office-hours', time_intervals: [{ weekdays: ['monday:thursday'] }] }, { name: 'weekend', time_intervals: [{ weekdays: ['saturday', 'sunday'] }] }],
    };
    expect(reviewRouting([am(base)], [am(after)])).toEqual([
      '- changed global settings: `resolve_timeout` `5m → 10m`',
      '- changed receiver `default`: `slack_configs` `(unset) → [{"channel":"#alerts"}]`',
      '- added receiver `pager`',
      '- removed receiver `heartbeat`',
      '- changed route `(root)`: `group_by` `[alertname] → [alertname, job]`',
      '- added route `(root) > severity="critical"` → receiver `pager`',
      '- removed route `(root) > alertname="Watchdog"` (was → receiver `heartbeat`)',
      '- removed inhibit rule `critical-mutes-warning`',
      '- changed time interval `office-hours`: `time_intervals` `[{"weekdays":["monday:friday"]}] → [{"weekdays":["monday:thursday"]}]`',
      '- added time interval `weekend`',
    ]);
  });

  it('a route that changes receiver or timers', () => {
    const after = structuredClone(base);
    after.route.routes[0] = { ...after.route.routes[0], receiver: 'default', repeat_interval: '1m' };
    expect(reviewRouting([am(base)], [am(after)])).toEqual([
      '- changed route `(root) > alertname="Watchdog"`: `receiver` `heartbeat → default`; `repeat_interval` `5m → 1m`',
    ]);
  });

  it('no change, no lines', () => {
    expect(reviewRouting([am(base)], [am(structuredClone(base))])).toEqual([]);
  });
});

describe('dashboards', () => {
  const dash = (uid: string, title: string, panels: object[]) => configMap(`grafana-dashboard-${uid}`, { [`${uid}.json`]: JSON.stringify({ uid, title, panels }, null, 2) });
  const cpu = { id: 1, title: 'CPU', type: 'timeseries', targets: [{ expr: 'x' }] };
  const mem = { id: 2, title: 'Memory', type: 'timeseries', targets: [{ expr: 'y' }] };

  it('dashboards added and removed; panels added, removed and changed (with the fields that changed)', () => {
    const before = [dash('node', 'Node', [cpu, mem]), dash('old', 'Old one', [cpu])];
    const after = [dash('node', 'Node', [{ ...cpu, targets: [{ expr: 'z' }] }, { id: 3, title: 'Disk', type: 'stat' }]), dash('new', 'New one', [cpu, mem])];
    expect(reviewDashboards(before, after)).toEqual([
      '- changed dashboard `Node`:',
      '  - changed panel `CPU` (targets)',
      '  - added panel `Disk`',
      '  - removed panel `Memory`',
      '- added dashboard `New one` (2 panels)',
      '- removed dashboard `Old one`',
    ]);
  });

  it('panels inside rows count', () => {
    const row = (inner: object[]) => ({ id: 10, title: 'Row', type: 'row', panels: inner });
    expect(reviewDashboards([dash('n', 'N', [row([cpu])])], [dash('n', 'N', [row([cpu, mem])])])).toEqual([
      '- changed dashboard `N`:',
      '  - added panel `Memory`',
    ]);
  });
});

describe('workloads', () => {
  it('replicas, image, resources, arguments and environment', () => {
    const before = deployment('grafana', { resources: { requests: { cpu: '50m' }, limits: { memory: '384Mi' } }, args: ['--a=1', '--keep'], env: [{ name: 'X', value: '1' }, { name: 'GONE', value: 'v' }] });
    const after = deployment('grafana', { image: 'grafana:1.1', resources: { requests: { cpu: '100m' }, limits: { memory: '1Gi' } }, args: ['--a=2', '--keep', '--new'], env: [{ name: 'X', value: '2' }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, { replicas: 2 });
    expect(reviewWorkloads([before], [after])).toEqual([
      '- Deployment `monitoring/grafana`:',
      '  - replicas `1 → 2`',
      '  - `grafana`: image `grafana:1.0 → grafana:1.1`',
      '  - `grafana`: requests.cpu `50m → 100m`',
      '  - `grafana`: limits.memory `384Mi → 1Gi`',
      '  - `grafana`: args `--a=1 → --a=2`',
      '  - `grafana`: args added `--new`',
      '  - `grafana`: env `X` `1 → 2`',
      '  - `grafana`: env added `S`: `{"secretKeyRef":{"key":"k","name":"s"}}`',
      '  - `grafana`: env removed `GONE`',
    ]);
  });

  it('flags new hostPath volumes, capabilities and host access', () => {
    const after = deployment('agent', { securityContext: { capabilities: { add: ['SYS_ADMIN'] }, privileged: true } }, {}, 'DaemonSet');
    after.spec.template.spec.volumes = [{ name: 'root', hostPath: { path: '/' } }];
    after.spec.template.spec.hostNetwork = true;
    expect(reviewWorkloads([deployment('agent', {}, {}, 'DaemonSet')], [after])).toEqual([
      '- DaemonSet `monitoring/agent`:',
      '  - ⚑ new hostPath volume `root: /`',
      '  - ⚑ new capability `agent: SYS_ADMIN`',
      '  - ⚑ new host access `hostNetwork`',
      '  - ⚑ new host access `agent: privileged`',
    ]);
  });

  it('workloads added (flagged when they reach the host) and removed', () => {
    const added = deployment('node-exporter', {}, {}, 'DaemonSet');
    added.spec.template.spec.volumes = [{ name: 'proc', hostPath: { path: '/proc' } }];
    expect(reviewWorkloads([deployment('promtail', {}, {}, 'DaemonSet')], [added])).toEqual([
      '- added DaemonSet `monitoring/node-exporter`: `node-exporter:1.0`',
      '  - ⚑ hostPath volume `proc: /proc`',
      '- removed DaemonSet `monitoring/promtail`',
    ]);
  });

  it('flags new RBAC permissions and Pod Security label changes', () => {
    const role = (rules: object[]): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'vigil-prometheus-monitoring' }, rules });
    const nsObj = (level: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': level } } });
    expect(reviewWorkloads(
      [role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]), nsObj('restricted')],
      [role([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get', 'list'] }]), nsObj('privileged')],
    )).toEqual([
      '- ⚑ ClusterRole vigil-prometheus-monitoring grants new permissions: `get secrets`, `list secrets`',
      '- ⚑ Namespace `monitoring`: Pod Security label `pod-security.kubernetes.io/enforce` `restricted → privileged`',
    ]);
  });

  it('scrape jobs and other configuration files that changed; new objects', () => {
    const prom = (jobs: string[]) => configMap('prometheus-config', { 'prometheus.yml': YAML.stringify({ global: { scrape_interval: '30s' }, scrape_configs: jobs.map((j) => ({ job_name: j })) }) });
    const loki = (r: string) => configMap('loki-config', { 'config.yaml': YAML.stringify({ server: { http_listen_port: 3100 }, limits_config: { retention_period: r } }) });
    const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'alloy', namespace: 'monitoring-agents' } };
    expect(reviewWorkloads([prom(['jaeger', 'node']), loki('7d')], [prom(['node', 'alloy']), loki('30d'), svc])).toEqual([
      '- configuration `ConfigMap monitoring/prometheus-config` (prometheus.yml): scrape jobs added `alloy`; scrape jobs removed `jaeger`',
      '- configuration `ConfigMap monitoring/loki-config` (config.yaml): changed `limits_config`',
      '- new objects: `Service monitoring-agents/alloy`',
    ]);
  });
});

describe('apply safety', () => {
  it('a bigger volume (the production profile): orphan-delete, grow each claim, apply', () => {
    const s = reviewSafety([statefulSet('prometheus', { replicas: 2 })], [statefulSet('prometheus', { replicas: 2, size: '100Gi' })]);
    expect(s.refused).toEqual([{
      line: 'StatefulSet `monitoring/prometheus`: claim `data` `10Gi → 100Gi` (spec.volumeClaimTemplates immutable)',
      commands: [
        'kubectl -n monitoring delete statefulset prometheus --cascade=orphan',
        '# grow each existing claim (its StorageClass must have allowVolumeExpansion: true; otherwise migrate the data to new claims)',
        'kubectl -n monitoring patch pvc data-prometheus-0 -p \'{"spec":{"resources":{"requests":{"storage":"100Gi"}}}}\'',
        'kubectl -n monitoring patch pvc data-prometheus-1 -p \'{"spec":{"resources":{"requests":{"storage":"100Gi"}}}}\'',
        'kubectl apply -f dist/   # re-creates the StatefulSet, which adopts the running pods',
      ],
    }]);
    expect(s.removed).toEqual([]);
    expect(s.dataAtRisk).toEqual([]);
  });

  it('a smaller volume or another class: the claims must be re-created (data deleted)', () => {
    expect(reviewSafety([statefulSet('loki', { size: '50Gi' })], [statefulSet('loki', { size: '10Gi' })]).refused[0].commands).toEqual([
      'kubectl -n monitoring delete statefulset loki --cascade=orphan',
      '# a claim cannot shrink: copy the data out, delete the claims (this deletes the data), and let the StatefulSet create smaller ones',
      'kubectl -n monitoring delete pvc data-loki-0',
      'kubectl apply -f dist/   # re-creates the StatefulSet, which adopts the running pods',
    ]);
    expect(reviewSafety([statefulSet('loki')], [statefulSet('loki', { storageClassName: 'fast' })]).refused[0]).toEqual({
      line: 'StatefulSet `monitoring/loki`: claim `data` class or access modes changed (spec.volumeClaimTemplates immutable)',
      commands: [
        'kubectl -n monitoring delete statefulset loki --cascade=orphan',
        '# the claims cannot be changed in place: copy the data out, then delete them (this deletes the data)',
        'kubectl -n monitoring delete pvc data-loki-0',
        'kubectl apply -f dist/   # re-creates the StatefulSet, which adopts the running pods',
      ],
    });
  });

  it('a StatefulSet\'s serviceName, podManagementPolicy and selector', () => {
    const s = reviewSafety([statefulSet('alertmanager')], [statefulSet('alertmanager', { serviceName: 'am', podManagementPolicy: 'Parallel', selector: { app: 'am' } })]);
    expect(s.refused).toEqual([{
      line: 'StatefulSet `monitoring/alertmanager`: `serviceName` `alertmanager-headless → am`; `selector` `{"matchLabels":{"app.kubernetes.io/name":"alertmanager"}} → {"matchLabels":{"app":"am"}}`; `podManagementPolicy` `OrderedReady → Parallel` (spec.serviceName, spec.selector, spec.podManagementPolicy immutable)',
      commands: [
        'kubectl -n monitoring delete statefulset alertmanager --cascade=orphan',
        'kubectl apply -f dist/   # re-creates the StatefulSet, which adopts the running pods',
        '# once the new pods are ready, delete the ones the old selector still matches',
        'kubectl -n monitoring delete pods -l app.kubernetes.io/name=alertmanager',
      ],
    }]);
  });

  it('a Deployment\'s or DaemonSet\'s selector', () => {
    const moved = (kind: string) => deployment('grafana', {}, { selector: { matchLabels: { app: 'grafana' } } }, kind);
    expect(reviewSafety([deployment('grafana')], [moved('Deployment')]).refused).toEqual([{
      line: 'Deployment `monitoring/grafana`: `selector` `app.kubernetes.io/name=grafana → app=grafana` (spec.selector immutable)',
      commands: [
        'kubectl -n monitoring delete deployment grafana --cascade=orphan',
        'kubectl apply -f dist/',
        '# once the new pods are ready, delete what the old selector still matches',
        'kubectl -n monitoring delete replicasets,pods -l app.kubernetes.io/name=grafana',
      ],
    }]);
    expect(reviewSafety([deployment('grafana', {}, {}, 'DaemonSet')], [moved('DaemonSet')]).refused[0].commands[3]).toBe('kubectl -n monitoring delete pods -l app.kubernetes.io/name=grafana');
  });

  it('a Service\'s clusterIP, or a change to or from ExternalName; other type changes are allowed', () => {
    const svc = (spec: object): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'loki', namespace: 'monitoring' }, spec });
    expect(reviewSafety([svc({ type: 'ClusterIP' })], [svc({ type: 'ClusterIP', clusterIP: 'None' })]).refused).toEqual([{
      line: 'Service `monitoring/loki`: `clusterIP` `(allocated) → None` (spec.clusterIP immutable)',
      commands: ['kubectl -n monitoring delete service loki', 'kubectl apply -f dist/'],
    }]);
    expect(reviewSafety([svc({})], [svc({ type: 'ExternalName', externalName: 'x' })]).refused[0].line).toBe('Service `monitoring/loki`: `type` `ClusterIP → ExternalName` (spec.clusterIP immutable)');
    expect(reviewSafety([svc({ type: 'ClusterIP' })], [svc({ type: 'NodePort' })]).refused).toEqual([]);
  });

  it('a removed component: its objects, with how to prune them, and its volume at risk', () => {
    const jaeger = statefulSet('jaeger');
    const cm = configMap('jaeger-config', { 'config.yaml': 'a: 1\n' });
    const nsObj: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tracing' } };
    const s = reviewSafety([nsObj, cm, jaeger], []);
    expect(s.removed).toEqual([
      '`Namespace tracing` — never pruned: `kubectl delete namespace tracing` deletes it and everything in it',
      '`ConfigMap monitoring/jaeger-config`',
      '`StatefulSet monitoring/jaeger`',
    ]);
    expect(s.dataAtRisk).toEqual([
      "jaeger's data: StatefulSet `monitoring/jaeger` is removed; its claims `data-jaeger-0` (10Gi) are kept, and the data on them is deleted only with `kubectl -n monitoring delete pvc data-jaeger-0`.",
    ]);
  });

  it('a Deployment that becomes a StatefulSet of the same name: both run until pruned', () => {
    const s = reviewSafety([deployment('grafana')], [statefulSet('grafana')]);
    expect(s.removed).toEqual(['`Deployment monitoring/grafana` — replaced by StatefulSet `monitoring/grafana`; both run until it is pruned']);
  });

  it('retention shortened: Prometheus time and size, Alertmanager, Loki, Jaeger; longer is no risk', () => {
    const prom = (t: string, sz: string) => statefulSet('prometheus', { args: [`--storage.tsdb.retention.time=${t}`, `--storage.tsdb.retention.size=${sz}`] });
    const am = (r: string) => statefulSet('alertmanager', { args: [`--data.retention=${r}`] });
    const loki = (r: string) => configMap('loki-config', { 'config.yaml': YAML.stringify({ schema_config: { configs: [{ from: '2024-04-01', store: 'tsdb' }] }, limits_config: { retention_period: r } }) });
    const jaeger = (ttl: string) => configMap('jaeger-config', { 'config.yaml': YAML.stringify({ extensions: { jaeger_storage: { backends: { main: { badger: { ttl: { spans: ttl } } } } } } }) });
    expect(reviewSafety([prom('30d', '8GB'), am('120h'), loki('30d'), jaeger('168h')], [prom('15d', '4GB'), am('24h'), loki('7d'), jaeger('72h')]).dataAtRisk).toEqual([
      'StatefulSet `monitoring/prometheus` `--storage.tsdb.retention.time` shortened `30d → 15d`: older samples are deleted at the next compaction.',
      'StatefulSet `monitoring/prometheus` `--storage.tsdb.retention.size` shortened `8GB → 4GB`: the oldest blocks beyond the new size are deleted.',
      'StatefulSet `monitoring/alertmanager` `--data.retention` shortened `120h → 24h`: older silences and notification log entries are dropped.',
      'Loki retention (ConfigMap `monitoring/loki-config` `limits_config.retention_period`) shortened `30d → 7d`: the compactor deletes the older lines.',
      'Jaeger trace retention (ConfigMap `monitoring/jaeger-config` `badger.ttl.spans`) shortened `168h → 72h`: older traces are deleted.',
    ]);
    expect(reviewSafety([prom('15d', '8GB'), loki('7d')], [prom('30d', '80GB'), loki('30d')]).dataAtRisk).toEqual([]);
  });

  it("Loki's schema or store changed", () => {
    const loki = (store: string) => configMap('loki-config', { 'config.yaml': YAML.stringify({ schema_config: { configs: [{ from: '2024-04-01', store: 'tsdb', object_store: store }] } }) });
    expect(reviewSafety([loki('filesystem')], [loki('s3')]).dataAtRisk).toEqual([
      "Loki's schema or store changed (ConfigMap `monitoring/loki-config`: `schema_config`/storage): logs written before are unreadable unless the old period stays in `schema_config`; add a new period with a future `from` date instead of editing the current one.",
    ]);
  });

  it('durations and sizes', () => {
    expect(durationSeconds('1w2d')).toBe(9 * 86400);
    expect(durationSeconds('168h0m0s')).toBe(168 * 3600);
    expect(durationSeconds('soon')).toBeNaN();
    expect(sizeBytes('8GB')).toBe(8e9);
    expect(sizeBytes('10Gi')).toBe(10 * 1024 ** 3);
  });
});

describe('the Markdown summary', () => {
  it('puts Apply safety first, then rules, routing, dashboards, workloads; empty sections are left out', () => {
    const before = [rulesCm([cpuAlert()]), statefulSet('jaeger')];
    const after = [rulesCm([cpuAlert({ for: '5m' })])];
    expect(renderReview(review(before, after), '`main` → working tree (`dist/`)')).toBe([
      '## Vigil review: `main` → working tree (`dist/`)',
      '',
      '### ⚠ Apply safety',
      '',
      '**Removed from the output.** Plain `kubectl apply -f dist/` leaves them running; the apply command in the README ("Changing a running stack") prunes them.',
      '',
      '- `StatefulSet monitoring/jaeger`',
      '',
      '**Data at risk.**',
      '',
      "- jaeger's data: StatefulSet `monitoring/jaeger` is removed; its claims `data-jaeger-0` (10Gi) are kept, and the data on them is deleted only with `kubectl -n monitoring delete pvc data-jaeger-0`.",
      '',
      '### Alerts and recording rules',
      '',
      '- changed alert `NodeHighCpuUsage`: for `15m → 5m`',
      '',
      '### Workloads',
      '',
      '- removed StatefulSet `monitoring/jaeger`',
      '',
    ].join('\n'));
  });

  it('refused changes come with their commands as a shell block', () => {
    const text = renderReview(review([statefulSet('loki')], [statefulSet('loki', { size: '50Gi' })]), 'x');
    expect(text).toContain([
      '**`kubectl apply` will refuse these changes.** Carry each out with the commands under it, then apply.',
      '',
      '- StatefulSet `monitoring/loki`: claim `data` `10Gi → 50Gi` (spec.volumeClaimTemplates immutable)',
      '  ```sh',
      '  kubectl -n monitoring delete statefulset loki --cascade=orphan',
    ].join('\n'));
  });

  it('says so when nothing changed; that is safe', () => {
    const r = review([rulesCm([cpuAlert()])], [rulesCm([cpuAlert()])]);
    expect(renderReview(r, 'x')).toBe('## Vigil review: x\n\nNo change to the output.\n');
    expect(isEmpty(r.safety)).toBe(true);
  });

  it('line diff', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual(['  a', '- b', '+ x', '  c']);
  });
});

describe('npm run review (the command)', () => {
  it('parses its arguments', () => {
    expect(parseArgs(['--base', 'main'])).toEqual({ base: 'main', dir: 'dist', failOnUnsafe: false });
    expect(parseArgs(['--base=origin/main', '--dir', 'out/', '--fail-on', 'unsafe'])).toEqual({ base: 'origin/main', dir: 'out', failOnUnsafe: true });
    expect(() => parseArgs([])).toThrow(/--base <git-ref> is required/);
    expect(() => parseArgs(['--base', 'x', '--fail-on', 'warnings'])).toThrow(/--fail-on takes "unsafe"/);
  });

  it('reads the old side with git show and the new side from the directory; --fail-on unsafe exits 1 only with an Apply-safety section', () => {
    const repo = mkdtempSync(join(tmpdir(), 'vigil-review-'));
    try {
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: repo, stdio: 'pipe' });
      const write = (objects: KubeObject[]) => writeFileSync(join(repo, 'out', '0001-stack.k8s.yaml'), objects.map((o) => YAML.stringify(o)).join('---\n'));
      mkdirSync(join(repo, 'out'));
      git('init', '-q', '-b', 'main');
      write([rulesCm([cpuAlert()]), statefulSet('jaeger')]);
      git('add', 'out');
      git('commit', '-q', '-m', 'base');
      const run = (...extra: string[]) => spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'review.ts'), '--base', 'main', '--dir', 'out', ...extra], { cwd: repo, encoding: 'utf8' });

      write([rulesCm([cpuAlert({ expr: 'instance:node_cpu_utilisation:rate5m{job="node-exporter"} > 0.95' })]), statefulSet('jaeger')]);
      const safe = run('--fail-on', 'unsafe');
      expect(safe.status, safe.stderr).toBe(0);
      expect(safe.stdout).toContain('- changed alert `NodeHighCpuUsage`: threshold `> 0.9 → > 0.95`');
      expect(safe.stdout).not.toContain('Apply safety');

      write([rulesCm([cpuAlert()])]);
      const unsafe = run('--fail-on', 'unsafe');
      expect(unsafe.status).toBe(1);
      expect(unsafe.stdout).toMatch(/^## Vigil review: `main` → working tree \(`out\/`\)\n\n### ⚠ Apply safety/);
      expect(run().status).toBe(0);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
