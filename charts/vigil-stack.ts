import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { StackConfig, StackConfigInput } from '../lib/config';
import { resolveConfig } from '../lib/profiles';
import { renderAlertmanagerConfig } from '../alerts/alertmanager-config';
import { IMAGES } from '../lib/images';
import { ALERTMANAGER_SECRETS_DIR, ALERTMANAGER_TEMPLATES_DIR, Alertmanager } from './alertmanager';
import { BlackboxExporter } from './blackbox-exporter';
import { KubeStateMetrics } from './kube-state-metrics';
import { Namespaces } from './namespaces';
import { IngressFlow, NetworkPolicies } from './network-policies';
import { NodeExporter } from './node-exporter';
import { PostgresExporter } from './postgres-exporter';
import { Prometheus, RuleFile } from './prometheus';
import { RedisExporter } from './redis-exporter';
import { stackScrapeJobs } from './stack-jobs';

/** Properties of {@link VigilStack}. */
export interface VigilStackProps {
  /** The stack configuration; see the option table in the README. @default - the `homelab` profile */
  readonly config?: StackConfigInput;
  /** Rule files Prometheus loads. @default - none */
  readonly ruleFiles?: RuleFile[];
}

/**
 * The whole stack. Each component is its own Chart, so each lands in its own file in `dist/`
 * (a PR diff shows which component changed); every chart depends on the namespaces chart, which
 * makes cdk8s number the files so `kubectl apply -f dist/` creates the namespaces first.
 */
export class VigilStack extends Construct {
  /** The resolved configuration, every default applied. */
  public readonly config: StackConfig;

  constructor(scope: Construct, id: string, props: VigilStackProps = {}) {
    super(scope, id);
    const c = (this.config = resolveConfig(props.config));
    const ns = c.namespaces.monitoring;
    const common = { imagePullPolicy: c.imagePullPolicy, podDisruptionBudget: c.podDisruptionBudgets };

    // Charts are created on the app itself, next to this construct, so their files are named
    // `0001-prometheus.k8s.yaml` rather than carrying a path hash. One app holds one stack.
    const namespaces = new Chart(scope, 'namespaces');
    new Namespaces(namespaces, 'namespaces', c.namespaces);
    const chart = (name: string): Chart => {
      const ch = new Chart(scope, name);
      ch.addDependency(namespaces);
      return ch;
    };

    const am = c.alertmanager;
    const routing = renderAlertmanagerConfig(am.routing, {
      secretsDir: ALERTMANAGER_SECRETS_DIR,
      templatesDir: ALERTMANAGER_TEMPLATES_DIR,
      // Fail synth, not the pod, when the routing needs a newer Alertmanager than the pinned one.
      alertmanagerVersion: IMAGES.alertmanager.image.replace(/^.*:v/, ''),
    });
    const alertmanager = new Alertmanager(chart('alertmanager'), 'alertmanager', {
      ...common,
      namespace: ns,
      clusterDomain: c.clusterDomain,
      settings: am,
      config: routing.yaml,
      secrets: routing.secretMounts.map((m) => ({ name: m.name, key: m.key })),
      templates: routing.templateFiles,
      spread: c.spread,
    });
    new Prometheus(chart('prometheus'), 'prometheus', {
      ...common,
      namespace: ns,
      settings: c.prometheus,
      jobs: stackScrapeJobs(c),
      alertmanagers: alertmanager.peerAddresses,
      ruleFiles: props.ruleFiles,
      spread: c.spread,
    });

    const flows: IngressFlow[] = [
      { to: 'prometheus', ports: [{ port: 9090 }], from: ['prometheus'] },
      { to: 'alertmanager', ports: [{ port: 9093 }], from: ['prometheus'] },
    ];
    if (am.replicas > 1) flows.push({ to: 'alertmanager', ports: [{ port: 9094 }, { port: 9094, protocol: 'UDP' }], from: ['alertmanager'] });

    if (c.nodeExporter.enabled) {
      new NodeExporter(chart('node-exporter'), 'node-exporter', { ...common, namespace: c.namespaces.agents, resources: c.nodeExporter.resources });
    }
    if (c.kubeStateMetrics.enabled) {
      new KubeStateMetrics(chart('kube-state-metrics'), 'kube-state-metrics', { ...common, namespace: ns, resources: c.kubeStateMetrics.resources, spread: c.spread });
      flows.push({ to: 'kube-state-metrics', ports: [{ port: 8080 }, { port: 8081 }], from: ['prometheus'] });
    }
    if (c.blackboxExporter.enabled) {
      new BlackboxExporter(chart('blackbox-exporter'), 'blackbox-exporter', { ...common, namespace: ns, resources: c.blackboxExporter.resources, healthChecks: c.healthChecks });
      flows.push({ to: 'blackbox-exporter', ports: [{ port: 9115 }], from: ['prometheus'] });
    }
    if (c.postgres.length) {
      const pg = chart('postgres-exporter');
      c.postgres.forEach((db) => new PostgresExporter(pg, db.name, { ...common, namespace: ns, database: db, resources: c.exporterResources }));
      flows.push({ to: 'postgres-exporter', ports: [{ port: 9187 }], from: ['prometheus'] });
    }
    if (c.redis.length) {
      const rd = chart('redis-exporter');
      c.redis.forEach((r) => new RedisExporter(rd, r.name, { ...common, namespace: ns, redis: r, resources: c.exporterResources }));
      flows.push({ to: 'redis-exporter', ports: [{ port: 9121 }], from: ['prometheus'] });
    }

    new NetworkPolicies(chart('network-policies'), 'network-policies', { namespace: ns, flows });
  }
}
