import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { applyOverrides } from '../alerts/overrides';
import { renderLokiRulePacks, renderRulePacks } from '../alerts/render-rules';
import { packAlerts, RulePack } from '../alerts/rule-pack';
import { sloRulePack } from '../alerts/slo';
import { DashboardDefinition } from '../dashboards/model';
import { dashboardUids } from '../dashboards/provisioning';
import { dashboardPanelIds } from '../dashboards/render';
import { dashboardUid } from '../dashboards/uid';
import { sloDashboards } from '../dashboards/slo';
import { STACK_LABEL } from '../lib/labels';
import type { ComponentName } from '../lib/labels';
import { CommonWorkloadProps, RuleFile, StackComponent, StackContext, buildOrder } from './component';
import { STACK_COMPONENTS } from './components';
import { StackConfig, StackConfigInput } from './config';
import { Namespaces } from './namespaces';
import { IngressFlow, NetworkPolicies } from './network-policies';
import { resolveConfigInput } from './profiles';
import { QueriedMetrics, applyMetricFilter, queriedMetrics } from './prometheus-metric-filter';
import type { ScrapeJob } from './scrape-jobs';
import { TelemetryIngress, TelemetryIngressRule } from './telemetry-ingress';
import { ensureUniqueObjects } from './unique-objects';

/** Properties of {@link VigilStack}. */
export interface VigilStackProps {
  /** The stack configuration; see docs/configuration.md. @default - the `homelab` profile */
  readonly config?: StackConfigInput;
  /** Prometheus rule packs besides the shipped ones (your apps' alerts), open to the same overrides. @default - none */
  readonly rulePacks?: readonly RulePack[];
  /** LogQL rule packs for the Loki ruler besides the shipped `logs` pack. @default - none */
  readonly logRulePacks?: readonly RulePack[];
  /** Dashboards Grafana provisions besides the stack's own (Prometheus, Alertmanager, Loki, nodes, workloads). @default - none */
  readonly dashboards?: readonly DashboardDefinition[];
  /**
   * The components the stack composes, in order; each deploys itself when the configuration enables it.
   * @default STACK_COMPONENTS
   */
  readonly components?: readonly StackComponent[];
  /**
   * Prefix of the stack's chart ids, and so of its file names in `dist/` (`0001-<prefix>prometheus.k8s.yaml`).
   * @default - none for the first stack of an App, `<id>-` for every further one
   */
  readonly chartPrefix?: string;
}

/** Stacks per App, to give every stack after the first its own chart names. */
const stacksPerApp = new WeakMap<App, number>();

/**
 * The whole stack, composed from a list of components (charts/components.ts). Each component is its
 * own Chart, so each lands in its own file in `dist/` (a PR diff shows which component changed); every
 * chart depends on the namespaces chart, which makes cdk8s number the files so `kubectl apply -f dist/`
 * creates the namespaces first.
 */
export class VigilStack extends Construct {
  /** The resolved configuration, every default applied. */
  public readonly config: StackConfig;
  /** Uids of every provisioned dashboard: what alert rules' dashboard links may point to. */
  public readonly dashboardUids: readonly string[];
  /** The deployed components' constructs, by component name: the way to every ApiObject of the stack. */
  public readonly components: ReadonlyMap<ComponentName, Construct>;
  /** The charts of this stack, by name (`namespaces`, `prometheus`, ..., `network-policies`). */
  public readonly charts: ReadonlyMap<string, Chart>;
  /** What its rules and dashboards read: the keep list of `prometheus.metricFilter`. */
  public readonly queriedMetrics: QueriedMetrics;

  private readonly namespacesChart: Chart;
  private readonly prefix: string;
  private readonly chartsByName = new Map<string, Chart>();

  constructor(scope: Construct, id: string, props: VigilStackProps = {}) {
    super(scope, id);
    const all = props.components ?? STACK_COMPONENTS;
    const { config: c, input } = resolveConfigInput(props.config, all);
    this.config = c;
    const app = App.of(this);
    const index = stacksPerApp.get(app) ?? 0;
    stacksPerApp.set(app, index + 1);
    this.prefix = props.chartPrefix ?? (index === 0 ? '' : `${id}-`);
    ensureUniqueObjects(app);

    const deployed = all.filter((k) => k.enabled(c));
    const isDeployed = (name: ComponentName) => deployed.some((k) => k.name === name);

    this.namespacesChart = this.chart('namespaces', false);
    new Namespaces(this.namespacesChart, 'namespaces', c.namespaces);

    // Dashboards first: alert rules may link to them, and a link to a dashboard that is not
    // provisioned fails synth.
    const stackDashboards = deployed.flatMap((k) => k.stackDashboards?.(c) ?? []);
    const dashboardCtx = { namespace: c.namespaces.monitoring, deployed: stackDashboards.map((d) => ({ uid: d.uid, title: d.linkTitle })) };
    const dashboards = isDeployed('grafana')
      ? [...stackDashboards.map((d) => d.build(dashboardCtx)), ...sloDashboards(c.alerting.slos), ...(props.dashboards ?? [])]
      : [];
    this.dashboardUids = dashboardUids(dashboards);

    const common: CommonWorkloadProps = { imagePullPolicy: c.imagePullPolicy, podDisruptionBudget: c.podDisruptionBudgets, spread: c.spread };
    const built = new Map<ComponentName, Construct>();
    const ruleFiles = renderStackRules(c, all, deployed, props, dashboards, isDeployed('grafana'));
    // The keep list: every metric a rendered rule (packs, SLOs, the user's packs) or a provisioned
    // dashboard reads, so a user's own pack or dashboard extends it by itself.
    const queried = queriedMetrics(ruleFiles.prometheus, dashboards);
    this.queriedMetrics = queried;
    const ctx: StackContext = {
      config: c,
      input,
      common,
      ruleFiles,
      dashboards,
      queriedMetrics: queried,
      scrapeJobs: stackScrapeJobs(c, deployed, queried),
      deployed: isDeployed,
      built: <T extends Construct>(name: ComponentName) => built.get(name) as T | undefined,
      chart: (name) => this.chart(name),
    };
    for (const k of buildOrder(deployed)) {
      const construct = k.build(ctx);
      if (construct) built.set(k.name, construct);
    }
    this.components = built;

    const flows: IngressFlow[] = deployed.flatMap((k) => (k.ingress?.(c) ?? []).map((r) => ({ to: k.name, ports: r.ports, from: r.from.filter(isDeployed) })))
      .filter((f) => f.from.length > 0);
    const telemetry: TelemetryIngressRule[] = deployed.flatMap((k) => (k.telemetry?.(c) ?? []).map((t) => ({ to: k.name, ...t })));
    const policies = this.chart('network-policies');
    new NetworkPolicies(policies, 'network-policies', { namespace: c.namespaces.monitoring, flows });
    new TelemetryIngress(policies, 'telemetry-ingress', { namespace: c.namespaces.monitoring, rules: telemetry });
    this.charts = this.chartsByName;
  }

  /**
   * A chart for one component. Charts are created on the app itself, next to this construct, so
   * their files are named `0001-prometheus.k8s.yaml` rather than carrying a path hash; each depends on
   * the namespaces chart, so the namespaces are applied first.
   */
  private chart(name: string, afterNamespaces = true): Chart {
    const existing = this.chartsByName.get(name);
    if (existing) return existing;
    // Chart labels go on every object's own metadata (cdk8s ApiObject), not on pod templates or selectors.
    const ch = new Chart(this.node.scope!, `${this.prefix}${name}`, { labels: { [STACK_LABEL]: this.config.namespaces.monitoring } });
    if (afterNamespaces) ch.addDependency(this.namespacesChart);
    this.chartsByName.set(name, ch);
    return ch;
  }
}

/**
 * Every scrape job of a stack with this configuration, in the order `prometheus.yml` lists them. With
 * `queried` (what the stack's rules and dashboards read, {@link VigilStack.queriedMetrics}) the
 * infrastructure jobs carry the `metric_relabel_configs` of `prometheus.metricFilter`; without it they
 * carry none.
 */
export function stackScrapeJobs(c: StackConfig, components: readonly StackComponent[] = STACK_COMPONENTS, queried?: QueriedMetrics): ScrapeJob[] {
  const jobs = orderJobs(components.filter((k) => k.enabled(c)).flatMap((k) => k.scrapeJobs?.(c) ?? []));
  return queried ? applyMetricFilter(jobs, c.prometheus.metricFilter, queried, c.prometheus.keepMetrics) : jobs;
}

/**
 * Scrape jobs in a fixed order: the stack's own components (in the order of the component list),
 * then cluster discovery (kubelet, annotations), then the user's typed targets, then health-check
 * probes. Job names are stable; alert rules and dashboards select on them.
 */
function orderJobs(jobs: ScrapeJob[]): ScrapeJob[] {
  const rank = (j: ScrapeJob): number => {
    if (j.kind === 'probe') return 3;
    if (j.kind === 'service') return j.selector['app.kubernetes.io/part-of'] === 'vigil' ? 0 : 2;
    return 1;
  };
  return jobs.map((j, i) => ({ j, i })).sort((a, b) => rank(a.j) - rank(b.j) || a.i - b.i).map(({ j }) => j);
}


/**
 * The rule files of a stack: the packs of the deployed components (the node pack comes with
 * node-exporter, the postgres pack with a declared database), the user's packs and SLOs, and the
 * Loki ruler's LogQL packs. A user's pack named like a component's pack replaces it (so
 * `nodeRulePack({ selector: 'job="node"' })` in `rulePacks`, or `logsRulePack({ ... })` in
 * `logRulePacks`, rebuilds a shipped pack with its options). Overrides apply across all of them at
 * once, so an override naming an alert that exists nowhere fails synth with the closest names.
 */
function renderStackRules(c: StackConfig, all: readonly StackComponent[], deployed: readonly StackComponent[], props: VigilStackProps, dashboards: readonly DashboardDefinition[], grafana: boolean): { prometheus: RuleFile[]; loki: RuleFile[] } {
  const problems: string[] = [];
  const lokiDeployed = deployed.some((k) => k.name === 'loki');
  const userPrometheus = props.rulePacks ?? [];
  const userLoki = props.logRulePacks ?? [];
  for (const p of userPrometheus) {
    if (p.target === 'loki') problems.push(`rulePacks: pack '${p.name}' holds LogQL rules for the Loki ruler (target: 'loki'): pass it in logRulePacks instead`);
  }
  for (const p of userLoki) {
    if ((p.target ?? 'prometheus') !== 'loki') problems.push(`logRulePacks: pack '${p.name}' holds PromQL rules for Prometheus: pass it in rulePacks instead (a LogQL pack has target: 'loki')`);
  }
  if (userLoki.length > 0 && !lokiDeployed) {
    problems.push(`logRulePacks: ${userLoki.map((p) => `'${p.name}'`).join(', ')} given, but Loki is not deployed (loki.enabled is false), so no ruler would load them: enable Loki or remove logRulePacks`);
  }
  const prometheusPacks = [
    ...replaceByName(deployed.flatMap((k) => k.rulePacks?.(c) ?? []), userPrometheus),
    ...(c.alerting.slos.length ? [sloRulePack({ slos: c.alerting.slos })] : []),
  ];
  const lokiPacks = lokiDeployed ? replaceByName(deployed.flatMap((k) => k.logRulePacks?.(c) ?? []), userLoki) : [];
  // The Loki ruler deployed here has no remote write (and Prometheus no remote-write receiver), so a
  // LogQL recording rule's result would be computed and dropped.
  for (const p of lokiPacks) {
    for (const g of p.groups) {
      for (const r of g.rules) {
        if (r.kind === 'record') problems.push(`pack '${p.name}'${p.source ? ` (${p.source})` : ''} › group '${g.name}' › record '${r.record}': the stack's Loki ruler has no remote write to Prometheus, so a LogQL recording rule's result would go nowhere; remove it (logsRulePack: leave recordErrorRate off) and alert on the LogQL expression itself`);
      }
    }
  }
  // Names are the handles of overrides, runbooks and routing: one name must mean one rule, whichever
  // ruler evaluates it.
  const owners = (packs: readonly RulePack[], what: 'alert' | 'group') => new Map(packs.flatMap((p) => (what === 'group' ? p.groups.map((g) => [g.name, p.name] as const) : packAlerts(p).map((a) => [a.name, p.name] as const))));
  for (const what of ['alert', 'group'] as const) {
    const inPrometheus = owners(prometheusPacks, what);
    for (const [name, lokiPack] of owners(lokiPacks, what)) {
      const promPack = inPrometheus.get(name);
      if (promPack !== undefined) problems.push(`${what} '${name}' is in Prometheus pack '${promPack}' and in Loki pack '${lokiPack}': ${what} names must be unique across both rulers (an override would change both); rename one`);
    }
  }
  problems.push(...undeployedOverrideProblems(c, all, deployed, [...prometheusPacks, ...lokiPacks]));
  if (problems.length > 0) throw new Error(`${problems.length} problem${problems.length === 1 ? '' : 's'} in rule packs:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

  const overridden = applyOverrides([...prometheusPacks, ...lokiPacks], c.alerting.overrides);
  // Alert links are checked against the provisioned dashboards (uid and panel). With Grafana off
  // nothing is provisioned, but the dashboard_uid annotation is still rendered: check the uids against
  // the dashboards the stack would provision, so a misspelt one fails here too.
  const knownDashboardUids = grafana
    ? dashboardUids(dashboards)
    : [...deployed.flatMap((k) => k.stackDashboards?.(c) ?? []).map((d) => d.uid), ...dashboardUids([...sloDashboards(c.alerting.slos), ...(props.dashboards ?? [])])].sort();
  const knownDashboardPanels = Object.fromEntries(dashboards.map((d) => [dashboardUid(d), dashboardPanelIds(d)]));
  const options = { runbookBaseUrl: c.alerting.runbookBaseUrl, grafanaUrl: grafana ? c.grafana.rootUrl : undefined, knownDashboardUids, knownDashboardPanels };
  return {
    prometheus: renderRulePacks(overridden.slice(0, prometheusPacks.length), options),
    loki: renderLokiRulePacks(overridden.slice(prometheusPacks.length), options),
  };
}

/** The shipped packs with each one a user pack of the same name replaces swapped for it (in place), then the user's other packs. */
function replaceByName(shipped: readonly RulePack[], user: readonly RulePack[]): RulePack[] {
  const byName = new Map(user.map((p) => [p.name, p]));
  const replaced = shipped.map((p) => byName.get(p.name) ?? p);
  return [...replaced, ...user.filter((p) => !shipped.some((s) => s.name === p.name))];
}

/**
 * Overrides naming an alert that only a component which is not deployed ships (`LogErrorRateHigh`
 * with Loki disabled): say so, instead of the closest names of unrelated alerts.
 */
function undeployedOverrideProblems(c: StackConfig, all: readonly StackComponent[], deployed: readonly StackComponent[], rendered: readonly RulePack[]): string[] {
  const renderedAlerts = new Set(rendered.flatMap((p) => packAlerts(p).flatMap((a) => [a.name, `${p.name}/${a.name}`])));
  const absent = new Map<string, { component: string; pack: string }>();
  for (const k of all.filter((x) => !deployed.includes(x))) {
    let packs: RulePack[] = [];
    try {
      packs = [...(k.rulePacks?.(c) ?? []), ...(k.logRulePacks?.(c) ?? [])];
    } catch {
      continue; // a component that cannot describe its packs without its settings ships nothing to name
    }
    for (const p of packs) for (const a of packAlerts(p)) for (const key of [a.name, `${p.name}/${a.name}`]) absent.set(key, { component: k.name, pack: p.name });
  }
  const out: string[] = [];
  for (const key of Object.keys(c.alerting.overrides ?? {})) {
    const from = absent.get(key);
    if (from && !renderedAlerts.has(key)) out.push(`override '${key}': this alert comes with the ${from.component} component (pack '${from.pack}'), which is not deployed: enable ${from.component} or remove the override`);
  }
  return out;
}
