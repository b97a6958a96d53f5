import YAML from 'yaml';
import { promqlResultLabels } from '../../lib/promql';
import { editDistance } from '../../lib/suggest';
import { RoutingConfig, routingLabelWarnings, unusedReceiverWarnings } from './alertmanager-config';

/** One alerting rule as the routing sees it: its static labels and its expression. */
export interface AlertRuleLabels {
  readonly alert: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Labels every scraped series carries (the jobs' target labels in charts/scrape-jobs.ts) and those
 * Prometheus adds to every alert (`alertname`), which an alert passing its series through can carry.
 */
const TARGET_LABELS = ['alertname', 'job', 'instance', 'namespace', 'service', 'pod', 'node', 'container'];

/** The alerting rules of rendered `groups:` documents. */
export function alertRulesOf(ruleFileContents: readonly string[]): AlertRuleLabels[] {
  return ruleFileContents.flatMap((content) => {
    const doc = YAML.parse(content) as { groups?: Array<{ rules?: Array<{ alert?: string; expr?: unknown; labels?: Record<string, string> }> }> } | null;
    return (doc?.groups ?? []).flatMap((g) => (g.rules ?? []).filter((r) => r.alert).map((r) => ({ alert: r.alert as string, expr: String(r.expr ?? ''), labels: r.labels ?? {} })));
  });
}

/**
 * The routing's warnings for a stack: the configuration works, but probably not as meant.
 *
 * - A matcher on a label no alert can carry (`severty="critical"`). The labels alerts can carry are
 *   the rules' static labels, the labels their expressions keep (`by (...)`, `on (...)`), the external
 *   labels and the target labels (job, instance, namespace, ...). When any
 *   alert passes labels through, its full label set is unknown, so only a label within two edits of a
 *   known one is reported: a misspelling.
 * - A receiver no route uses.
 *
 * Each warning names the routing path, as errors do.
 */
export function stackRoutingWarnings(routing: RoutingConfig, rules: readonly AlertRuleLabels[], externalLabels: readonly string[] = []): string[] {
  const known = new Set<string>([...externalLabels, 'alertname']);
  let open = false;
  for (const r of rules) {
    for (const l of Object.keys(r.labels)) known.add(l);
    const result = promqlResultLabels(r.expr);
    if (result === undefined) open = true;
    else for (const l of result) known.add(l);
  }
  // The standard inhibit rules match on the target labels; they are known even when no rule keeps them.
  for (const l of TARGET_LABELS) known.add(l);
  const labelWarnings = routingLabelWarnings(routing, known).filter((w) => {
    if (!open) return true;
    const label = /on label "([^"]+)"/.exec(w.message)?.[1];
    return label !== undefined && [...known].some((k) => editDistance(k, label) <= 2);
  });
  return [...labelWarnings, ...unusedReceiverWarnings(routing)].map((w) => `alertmanager.routing.${w.message}`);
}
