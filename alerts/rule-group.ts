import type { Rule } from './rule';

/** Properties of a rule group: rules evaluated together, in order, at one interval. */
export interface RuleGroupProps {
  /** Group name, unique among all rendered packs (e.g. `node.rules`, `node.alerts`). */
  readonly name: string;
  /**
   * Evaluation interval (Prometheus duration).
   * @default - the global `evaluation_interval` of Prometheus (or the Loki ruler)
   */
  readonly interval?: string;
  /**
   * Maximum number of alerts (for alerting rules) or series (for recording rules) the group may produce;
   * above it the evaluation fails instead of flooding Alertmanager.
   * @default - no limit
   */
  readonly limit?: number;
  /** The rules. Recording rules used by alerts in the same group should come before them. */
  readonly rules: readonly Rule[];
}

/** A rule group (plain data). */
export type RuleGroup = RuleGroupProps;

/** Define a rule group. */
export function ruleGroup(props: RuleGroupProps): RuleGroup {
  return { ...props };
}
