import type { MetricCatalogue } from './metric-catalogue';
import type { AlertRule, RecordingRule } from './rule';
import type { RuleGroup } from './rule-group';
import { checksOf, RuleTest } from './rule-test';

/** Which ruler evaluates a pack: Prometheus (PromQL) or the Loki ruler (LogQL). */
export type RuleTarget = 'prometheus' | 'loki';

/**
 * A rule pack: the rule groups of one area (the stack itself, nodes, Kubernetes objects, an HTTP app),
 * rendered into one rule file so a pull request shows which area changed. Packs are returned by
 * parametrized functions (`nodeRulePack({ ... })`) whose every option has a default.
 */
export interface RulePack {
  /** Pack name: lower-case, digits and `-`; the rendered file is `<name>.yml`. */
  readonly name: string;
  /**
   * Which ruler loads the file.
   * @default 'prometheus'
   */
  readonly target?: RuleTarget;
  /**
   * Where the pack is defined, quoted in validation errors (e.g. `alerts/packs/node.ts`).
   * @default - not named in errors
   */
  readonly source?: string;
  /** The rule groups, in evaluation order. */
  readonly groups: readonly RuleGroup[];
  /**
   * promtool tests of the pack (tests attached to single alerts are collected too).
   * @default []
   */
  readonly tests?: readonly RuleTest[];
  /**
   * The metric catalogues the pack's rules may read (checked by the test suite, reused by dashboards).
   * @default - not checked
   */
  readonly catalogues?: readonly MetricCatalogue[];
}

/** Every alerting rule of a pack, in file order. */
export function packAlerts(pack: RulePack): AlertRule[] {
  return pack.groups.flatMap((g) => g.rules.filter((r): r is AlertRule => r.kind === 'alert'));
}

/** Every recording rule of a pack, in file order. */
export function packRecords(pack: RulePack): RecordingRule[] {
  return pack.groups.flatMap((g) => g.rules.filter((r): r is RecordingRule => r.kind === 'record'));
}

/** A test with every check naming its alert explicitly. */
export interface PackTest extends RuleTest {
  readonly alerts: ReturnType<typeof checksOf>;
}

/** All tests of a pack: pack-level tests plus the tests attached to its alerts, with alert names filled in. */
export function packTests(pack: RulePack): PackTest[] {
  const out: PackTest[] = (pack.tests ?? []).map((t) => ({ ...t, alerts: checksOf(t) }));
  for (const alert of packAlerts(pack)) {
    for (const t of alert.tests ?? []) out.push({ ...t, alerts: checksOf(t, alert.name) });
  }
  return out;
}

/** Lower-case pack and file names keep rendered file names portable and predictable. */
export const PACK_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
