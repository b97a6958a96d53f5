import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { StackConfig, StackConfigInput } from './config';
import { resolveConfig } from './profiles';
import { renderAlertmanagerConfig } from '../alerts/routing/alertmanager-config';
import { defaultLogRulePacks, defaultRulePacks } from '../alerts/default-packs';
import { applyOverrides } from '../alerts/overrides';
import { renderLokiRulePacks, renderRulePacks } from '../alerts/render-rules';
import type { RulePack } from '../alerts/rule-pack';
import { sloRulePack } from '../alerts/slo';
import { sloDashboards } from '../dashboards/slo';
import { IMAGES } from '../lib/images';
import type { ComponentName } from '../lib/labels';
import { DashboardDefinition } from '../dashboards/model';
import { dashboardUids, provisionDashboards } from '../dashboards/provisioning';
import { stackDashboards } from '../dashboards/stack';
import { ALERTMANAGER_SECRETS_DIR, ALERTMANAGER_TEMPLATES_DIR, Alertmanager } from './alertmanager';
import { BlackboxExporter } from './blackbox-exporter';
import { GRAFANA_PORT, Grafana } from './grafana';
import { provisionedDatasources, stackDatasourceEndpoints } from './grafana-config';
import { KubeStateMetrics } from './kube-state-metrics';
import { Namespaces } from './namespaces';
import { Jaeger } from './jaeger';
import { JAEGER_PORTS } from './jaeger-config';
import { LogAgent } from './log-agent';
import { Loki } from './loki';
import { LOKI_PORT } from './loki-config';
import { IngressFlow, NetworkPolicies } from './network-policies';
import { NodeExporter } from './node-exporter';
import { OtelCollector } from './otel-collector';
import { OTEL_COLLECTOR_PORTS } from './otel-collector-config';
import { PostgresExporter } from './postgres-exporter';
import { Prometheus, RuleFile } from './prometheus';
import { RedisExporter } from './redis-exporter';
import { stackScrapeJobs } from './stack-jobs';
import { TelemetryIngress, TelemetryIngressRule } from './telemetry-ingress';

/** Properties of {@link VigilStack}. */
export interface VigilStackProps {
  /** The stack configuration; see the option table in the README. @default - the `homelab` profile */
  readonly config?: StackConfigInput;
  /** Prometheus rule packs besides the shipped ones (your apps' alerts), open to the same overrides. @default - none */
  readonly rulePacks?: readonly RulePack[];
  /** LogQL rule packs for the Loki ruler besides the shipped `logs` pack. @default - none */
  readonly logRulePacks?: readonly RulePack[];
  /** Dashboards Grafana provisions besides the stack's own (Prometheus, Alertmanager, Loki, nodes, workloads). @default - none */
  readonly dashboards?: readonly DashboardDefinition[];
}

/**
 * The whole stack. Each component is its own Chart, so each lands in its own file in `dist/`
 * (a PR diff shows which component changed); every chart depends on the namespaces chart, which
 * makes cdk8s number the files so `kubectl apply -f dist/` creates the namespaces first.
 */
export class VigilStack extends Construct {
  /** The resolved configuration, every default applied. */
  public readonly config: StackConfig;
  /** Uids of every provisioned dashboard: what alert rules' dashboard links may point to. */
  public readonly dashboardUids: readonly string[];

  /** Ingress flows inside the stack's namespace, collected from every component added. */
  private readonly flows: IngressFlow[] = [];
  /** Telemetry admitted from other namespaces (apps' OTLP, the node log agent). */
  private readonly telemetry: TelemetryIngressRule[] = [];
  private readonly common: { readonly imagePullPolicy: string; readonly podDisruptionBudget: boolean };
  private readonly namespacesChart: Chart;

  constructor(scope: Construct, id: string, props: VigilStackProps = {}) {
    super(scope, id);
    const c = (this.config = resolveConfig(props.config));
    this.common = { imagePullPolicy: c.imagePullPolicy, podDisruptionBudget: c.podDisruptionBudgets };
    this.namespacesChart = new Chart(scope, 'namespaces');
    new Namespaces(this.namespacesChart, 'namespaces', c.namespaces);

    // Dashboards first: alert rules may link to them, and a link to a dashboard that is not
    // provisioned fails synth.
    const dashboards = c.grafana.enabled
      ? [
        ...stackDashboards({ namespace: c.namespaces.monitoring, loki: c.loki.enabled, nodeExporter: c.nodeExporter.enabled, kubeStateMetrics: c.kubeStateMetrics.enabled }),
        ...sloDashboards(c.alerting.slos),
        ...(props.dashboards ?? []),
      ]
      : [];
    this.dashboardUids = dashboardUids(dashboards);
    const rules = renderStackRules(c, props, this.dashboardUids);

    const alertmanager = this.addMetricsAndAlerting(rules.prometheus);
    this.addExporters();
    const { loki, jaeger } = this.addLogsAndTraces(alertmanager, rules.loki);
    if (c.grafana.enabled) this.addGrafana(dashboards, { loki: loki !== undefined, jaeger: jaeger !== undefined });

    const policies = this.chart('network-policies');
    new NetworkPolicies(policies, 'network-policies', { namespace: c.namespaces.monitoring, flows: this.flows });
    new TelemetryIngress(policies, 'telemetry-ingress', { namespace: c.namespaces.monitoring, rules: this.telemetry });
  }

  /**
   * A chart for one component. Charts are created on the app itself, next to this construct, so
   * their files are named `0001-prometheus.k8s.yaml` rather than carrying a path hash (one app holds
   * one stack); each depends on the namespaces chart, so the namespaces are applied first.
   */
  private chart(name: string): Chart {
    const ch = new Chart(this.node.scope!, name);
    ch.addDependency(this.namespacesChart);
    return ch;
  }

  /** The components of `enabled` that are deployed: peers a flow may admit. */
  private optional(enabled: Partial<Record<ComponentName, boolean>>): ComponentName[] {
    return (Object.keys(enabled) as ComponentName[]).filter((k) => enabled[k]);
  }

  /** Alertmanager with the typed routing, and Prometheus alerting every replica of it. */
  private addMetricsAndAlerting(ruleFiles: RuleFile[]): Alertmanager {
    const c = this.config;
    const ns = c.namespaces.monitoring;
    const am = c.alertmanager;
    const routing = renderAlertmanagerConfig(am.routing, {
      secretsDir: ALERTMANAGER_SECRETS_DIR,
      templatesDir: ALERTMANAGER_TEMPLATES_DIR,
      // Fail synth, not the pod, when the routing needs a newer Alertmanager than the pinned one.
      alertmanagerVersion: IMAGES.alertmanager.image.replace(/^.*:v/, ''),
    });
    const alertmanager = new Alertmanager(this.chart('alertmanager'), 'alertmanager', {
      ...this.common,
      namespace: ns,
      clusterDomain: c.clusterDomain,
      settings: am,
      config: routing.yaml,
      secrets: routing.secretMounts.map((m) => ({ name: m.name, key: m.key })),
      templates: routing.templateFiles,
      spread: c.spread,
    });
    new Prometheus(this.chart('prometheus'), 'prometheus', {
      ...this.common,
      namespace: ns,
      settings: c.prometheus,
      jobs: stackScrapeJobs(c),
      alertmanagers: alertmanager.peerAddresses,
      ruleFiles,
      spread: c.spread,
    });
    this.flows.push(
      { to: 'prometheus', ports: [{ port: 9090 }], from: ['prometheus'] },
      { to: 'alertmanager', ports: [{ port: 9093 }], from: ['prometheus'] },
    );
    if (am.replicas > 1) this.flows.push({ to: 'alertmanager', ports: [{ port: 9094 }, { port: 9094, protocol: 'UDP' }], from: ['alertmanager'] });
    return alertmanager;
  }

  /** node-exporter, kube-state-metrics, blackbox-exporter and one exporter per declared database / Redis. */
  private addExporters(): void {
    const c = this.config;
    const ns = c.namespaces.monitoring;
    const common = this.common;
    if (c.nodeExporter.enabled) {
      new NodeExporter(this.chart('node-exporter'), 'node-exporter', { ...common, namespace: c.namespaces.agents, resources: c.nodeExporter.resources });
    }
    if (c.kubeStateMetrics.enabled) {
      new KubeStateMetrics(this.chart('kube-state-metrics'), 'kube-state-metrics', { ...common, namespace: ns, resources: c.kubeStateMetrics.resources, spread: c.spread });
      this.flows.push({ to: 'kube-state-metrics', ports: [{ port: 8080 }, { port: 8081 }], from: ['prometheus'] });
    }
    if (c.blackboxExporter.enabled) {
      new BlackboxExporter(this.chart('blackbox-exporter'), 'blackbox-exporter', { ...common, namespace: ns, resources: c.blackboxExporter.resources, healthChecks: c.healthChecks });
      this.flows.push({ to: 'blackbox-exporter', ports: [{ port: 9115 }], from: ['prometheus'] });
    }
    if (c.postgres.length) {
      const pg = this.chart('postgres-exporter');
      c.postgres.forEach((db) => new PostgresExporter(pg, db.name, { ...common, namespace: ns, database: db, resources: c.exporterResources }));
      this.flows.push({ to: 'postgres-exporter', ports: [{ port: 9187 }], from: ['prometheus'] });
    }
    if (c.redis.length) {
      const rd = this.chart('redis-exporter');
      c.redis.forEach((r) => new RedisExporter(rd, r.name, { ...common, namespace: ns, redis: r, resources: c.exporterResources }));
      this.flows.push({ to: 'redis-exporter', ports: [{ port: 9121 }], from: ['prometheus'] });
    }
  }

  /** Loki with its ruler and the node log agent, Jaeger, and the optional collector gateway. */
  private addLogsAndTraces(alertmanager: Alertmanager, ruleFiles: RuleFile[]): { loki?: Loki; jaeger?: Jaeger } {
    const c = this.config;
    const ns = c.namespaces.monitoring;
    const common = this.common;
    const loki = c.loki.enabled
      ? new Loki(this.chart('loki'), 'loki', { ...common, namespace: ns, clusterDomain: c.clusterDomain, settings: c.loki, alertmanagers: alertmanager.peerAddresses, ruleFiles })
      : undefined;
    if (loki) {
      this.flows.push(
        { to: 'loki', ports: [{ port: LOKI_PORT }], from: ['prometheus', ...this.optional({ grafana: c.grafana.enabled, 'otel-collector': c.otelCollector.enabled })] },
        { to: 'alertmanager', ports: [{ port: 9093 }], from: ['loki'] },
      );
      if (c.logs.agent !== 'none') {
        new LogAgent(this.chart(c.logs.agent), c.logs.agent, { agent: c.logs.agent, namespace: c.namespaces.agents, settings: c.logs, lokiPushUrl: loki.pushUrl, imagePullPolicy: c.imagePullPolicy });
        this.telemetry.push({ to: 'loki', ports: [LOKI_PORT], from: { namespaces: [c.namespaces.agents], component: c.logs.agent } });
      }
      if (c.loki.pushFromNamespaces.length) this.telemetry.push({ to: 'loki', ports: [LOKI_PORT], from: { namespaces: c.loki.pushFromNamespaces } });
    }
    const jaeger = c.jaeger.enabled ? new Jaeger(this.chart('jaeger'), 'jaeger', { ...common, namespace: ns, clusterDomain: c.clusterDomain, settings: c.jaeger }) : undefined;
    if (jaeger) {
      this.flows.push({ to: 'jaeger', ports: [{ port: JAEGER_PORTS.metrics }], from: ['prometheus'] });
      if (c.grafana.enabled) this.flows.push({ to: 'jaeger', ports: [{ port: JAEGER_PORTS.query }], from: ['grafana'] });
      this.telemetry.push({ to: 'jaeger', ports: [JAEGER_PORTS.otlpGrpc, JAEGER_PORTS.otlpHttp, JAEGER_PORTS.sampling], from: { allNamespaces: true } });
    }
    if (c.otelCollector.enabled) {
      new OtelCollector(this.chart('otel-collector'), 'otel-collector', {
        ...common, namespace: ns, settings: c.otelCollector, spread: c.spread, jaegerOtlpEndpoint: jaeger?.otlpGrpcEndpoint, lokiOtlpUrl: loki?.otlpUrl,
      });
      this.flows.push({ to: 'otel-collector', ports: [{ port: OTEL_COLLECTOR_PORTS.metrics }, { port: OTEL_COLLECTOR_PORTS.exporter }], from: ['prometheus'] });
      this.telemetry.push({ to: 'otel-collector', ports: [OTEL_COLLECTOR_PORTS.otlpGrpc, OTEL_COLLECTOR_PORTS.otlpHttp], from: { allNamespaces: true } });
    }
    return { loki, jaeger };
  }

  /** Grafana with the datasources of what is deployed and every dashboard, validated. */
  private addGrafana(dashboards: DashboardDefinition[], deployed: { loki: boolean; jaeger: boolean }): void {
    const c = this.config;
    const ns = c.namespaces.monitoring;
    const datasources = stackDatasourceEndpoints({
      namespace: ns, clusterDomain: c.clusterDomain, loki: deployed.loki, jaeger: deployed.jaeger, lokiPort: LOKI_PORT, jaegerQueryPort: JAEGER_PORTS.query,
    });
    // Fails synth on a broken query, an unknown metric, a dangling link or a datasource that is not deployed.
    const folders = provisionDashboards(dashboards, { datasources: provisionedDatasources(datasources) });
    new Grafana(this.chart('grafana'), 'grafana', {
      ...this.common, namespace: ns, settings: c.grafana, datasources, scrapeInterval: c.prometheus.scrapeInterval, dashboards: folders, spread: c.spread,
    });
    this.flows.push(
      { to: 'grafana', ports: [{ port: GRAFANA_PORT }], from: ['prometheus'] },
      { to: 'prometheus', ports: [{ port: 9090 }], from: ['grafana'] },
      { to: 'alertmanager', ports: [{ port: 9093 }], from: ['grafana'] },
    );
  }
}

/**
 * The rule files of a stack: the shipped packs that apply to what is deployed (node and Kubernetes
 * packs follow their exporters, postgres and redis packs follow declared databases), the user's packs
 * and SLOs, and the Loki ruler's LogQL packs. Overrides apply across all of them at once, so an
 * override naming an alert that exists nowhere fails synth with the closest names.
 */
function renderStackRules(c: StackConfig, props: VigilStackProps, knownDashboardUids: readonly string[]): { prometheus: RuleFile[]; loki: RuleFile[] } {
  const prometheusPacks = defaultRulePacks({
    node: c.nodeExporter.enabled ? {} : false,
    kubernetes: c.kubeStateMetrics.enabled ? {} : false,
    postgres: c.postgres.length ? {} : false,
    redis: c.redis.length ? {} : false,
    extraPacks: [...(props.rulePacks ?? []), ...(c.alerting.slos.length ? [sloRulePack({ slos: c.alerting.slos })] : [])],
  });
  const lokiPacks = c.loki.enabled ? defaultLogRulePacks({ extraPacks: props.logRulePacks }) : [];
  const overridden = applyOverrides([...prometheusPacks, ...lokiPacks], c.alerting.overrides);
  const options = { runbookBaseUrl: c.alerting.runbookBaseUrl, grafanaUrl: c.grafana.enabled ? c.grafana.rootUrl : undefined, knownDashboardUids: c.grafana.enabled ? knownDashboardUids : undefined };
  return {
    prometheus: renderRulePacks(overridden.slice(0, prometheusPacks.length), options),
    loki: renderLokiRulePacks(overridden.slice(prometheusPacks.length), options),
  };
}
