import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { MetricCatalogue } from '../alerts/metric-catalogue';
import type { RenderedRuleFile } from '../alerts/render-rules';
import type { RulePack } from '../alerts/rule-pack';
import type { DashboardDefinition } from '../dashboards/model';
import type { StackDashboardContext } from '../dashboards/stack/common';
import type { ComponentName } from '../lib/labels';
import type { StackConfig, StackConfigInput } from './config';
import type { QueriedMetrics } from './prometheus-metric-filter';
import type { ScrapeJob } from './scrape-jobs';
import type { TelemetrySource } from './telemetry-ingress';

/** A rendered rule file (a standard `groups:` document) and the ConfigMap it lives in. */
export type RuleFile = RenderedRuleFile;

/** Who may connect to a component inside the stack's namespace, on which ports. */
export interface PeerIngress {
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol?: 'TCP' | 'UDP' }>;
  /** Components that may connect; those not deployed are left out, and a rule with none left is dropped. */
  readonly from: readonly ComponentName[];
}

/** Telemetry a component accepts from outside the stack's namespace (apps' OTLP, the node log agent). */
export interface TelemetryIngressFrom {
  /** TCP ports: push and OTLP ports only, never a query port. */
  readonly ports: readonly number[];
  readonly from: TelemetrySource;
}

/** A dashboard of the stack itself; its header links to the other deployed stack dashboards. */
export interface StackDashboard {
  readonly uid: string;
  /** Title of the header link that points to it. */
  readonly linkTitle: string;
  readonly build: (ctx: StackDashboardContext) => DashboardDefinition;
}

/** Settings every workload of a stack shares. */
export interface CommonWorkloadProps {
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
  /** @default true */
  readonly podDisruptionBudget?: boolean;
  /** @default 'none' */
  readonly spread?: 'none' | 'preferred' | 'required';
}

/** What a component's `build` gets from the stack that composes it. */
export interface StackContext {
  /** The resolved configuration, every default applied. */
  readonly config: StackConfig;
  /**
   * What the user wrote, with the profile underneath and no defaults applied: the section a component
   * passes to its construct, which applies its own defaults.
   */
  readonly input: StackConfigInput;
  readonly common: CommonWorkloadProps;
  /** The rendered rule files, overrides applied across every pack of the stack. */
  readonly ruleFiles: { readonly prometheus: readonly RuleFile[]; readonly loki: readonly RuleFile[] };
  /** Every scrape job of the stack, in order (what Prometheus scrapes). */
  readonly scrapeJobs: readonly ScrapeJob[];
  /** Every dashboard Grafana provisions (the stack's, the SLOs' and the user's). */
  readonly dashboards: readonly DashboardDefinition[];
  /** What the rule files and dashboards read: the keep list of `prometheus.metricFilter`. */
  readonly queriedMetrics: QueriedMetrics;
  /** Whether a component is part of this stack. */
  deployed(name: ComponentName): boolean;
  /** The construct a deployed component built (components are built after the ones they list in `after`). */
  built<T extends Construct>(name: ComponentName): T | undefined;
  /** A new chart (one file in `dist/`), applied after the namespaces. */
  chart(name: string): Chart;
}

/**
 * Everything the stack knows about one component, declared in one place: when it is deployed, its
 * scrape jobs, who may reach which of its ports, its metric catalogue, the rule packs and dashboards
 * that come with it, and how to build its construct. `VigilStack` composes a list of these; adding an
 * exporter is one module that exports one of these and a line in the list (charts/components.ts).
 */
export interface StackComponent {
  /** The `app.kubernetes.io/name` of its objects, and its key in the stack. */
  readonly name: ComponentName;
  /** Whether the configuration deploys it. */
  enabled(config: StackConfig): boolean;
  /**
   * Components whose constructs `build` uses; they are built first when deployed. `'all'`: after
   * every other component (Grafana, which shows them all). @default - none
   */
  readonly after?: readonly ComponentName[] | 'all';
  /** Job names it reserves in `prometheus.yml`; a user's scrape target may not take them. @default - none */
  readonly jobNames?: readonly string[];
  /** Metric names its exporter or binary really emits (what its packs and dashboards may read). @default - none */
  readonly catalogues?: readonly MetricCatalogue[];
  /** Scrape jobs Prometheus needs for it. @default - none */
  scrapeJobs?(config: StackConfig): ScrapeJob[];
  /** Peers inside the namespace that may reach its ports. @default - none (default deny) */
  ingress?(config: StackConfig): PeerIngress[];
  /** Telemetry it accepts from other namespaces. @default - none */
  telemetry?(config: StackConfig): TelemetryIngressFrom[];
  /** Prometheus rule packs that come with it. @default - none */
  rulePacks?(config: StackConfig): RulePack[];
  /** LogQL rule packs for the Loki ruler. @default - none */
  logRulePacks?(config: StackConfig): RulePack[];
  /** Dashboards of the stack that come with it. @default - none */
  stackDashboards?(config: StackConfig): StackDashboard[];
  /** Builds its construct(s) into `ctx.chart(...)`; returns what other components may use. */
  build(ctx: StackContext): Construct | undefined;
}

/** The ApiObjects under a construct: the escape hatch to patch what the typed props do not cover. */
export function apiObjectsOf(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/**
 * Orders components so that each comes after those it lists in `after` (when they are deployed),
 * keeping the list order otherwise. Throws on a cycle or an unknown name.
 */
export function buildOrder(components: readonly StackComponent[]): StackComponent[] {
  const names = new Set(components.map((c) => c.name));
  const done = new Set<string>();
  const out: StackComponent[] = [];
  while (out.length < components.length) {
    const ready = (c: StackComponent): boolean => (c.after === 'all'
      ? components.every((o) => o === c || o.after === 'all' || done.has(o.name))
      : (c.after ?? []).every((d) => done.has(d) || !names.has(d)));
    const next = components.find((c) => !done.has(c.name) && ready(c));
    if (!next) {
      const stuck = components.filter((c) => !done.has(c.name)).map((c) => `${c.name} (after ${c.after === 'all' ? 'all' : (c.after ?? []).join(', ')})`);
      throw new Error(`components depend on each other in a cycle: ${stuck.join('; ')}`);
    }
    done.add(next.name);
    out.push(next);
  }
  return out;
}
