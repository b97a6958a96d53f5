import { seriesNames } from './metric-catalogue';
import { promqlMetricNames } from '../lib/promql';
import { resolveAlert } from './rule';
import { packRecords, RulePack } from './rule-pack';

/** A metric a rule reads that the pack's catalogues do not list. */
export interface UncataloguedMetric {
  readonly pack: string;
  /** `alert 'Name'` or `record 'name'`. */
  readonly rule: string;
  readonly metric: string;
}

/**
 * Metrics read by a pack's rules that are neither in its catalogues nor recorded by the pack itself.
 * Packs without catalogues are reported as a whole (metric `*`), so a new pack cannot skip the check.
 */
export function uncataloguedMetrics(pack: RulePack): UncataloguedMetric[] {
  if ((pack.target ?? 'prometheus') !== 'prometheus') return [];
  if (!pack.catalogues || pack.catalogues.length === 0) return [{ pack: pack.name, rule: '(pack)', metric: '*' }];
  const known = seriesNames(...pack.catalogues);
  for (const r of packRecords(pack)) known.add(r.record);
  const out: UncataloguedMetric[] = [];
  for (const group of pack.groups) {
    for (const rule of group.rules) {
      const expr = rule.kind === 'alert' ? resolveAlert(rule).expr : rule.expr;
      const label = rule.kind === 'alert' ? `alert '${rule.name}'` : `record '${rule.record}'`;
      for (const metric of promqlMetricNames(expr)) {
        if (!known.has(metric)) out.push({ pack: pack.name, rule: label, metric });
      }
    }
  }
  return out;
}
