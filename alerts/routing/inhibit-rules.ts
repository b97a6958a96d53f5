import { z } from 'zod';
import { Matcher, MatcherSchema, isLabelName, renderMatcher } from './routing-matchers';

/**
 * Inhibition: while a source alert fires, target alerts that carry the same values of the `equal`
 * labels are not notified. Vigil's standard rules keep one problem to one notification: a critical
 * alert mutes its own warning/info siblings, and a down scrape target or node mutes what depends on it.
 *
 * Alertmanager treats a missing label as equal to a missing label. A source alert without the `equal`
 * labels would therefore mute every target that also lacks them; the standard rules require the
 * source to carry them (`instance=~".+"`), so an aggregated "something is down" alert never mutes
 * unrelated alerts.
 */

export const InhibitRuleSchema = z.strictObject({
  /** Name shown in Alertmanager ≥ 0.30 (omitted for older versions). @default - none */
  name: z.string().min(1).optional().describe('Rule name (Alertmanager >= 0.30; omitted when rendering for older versions). Default none.'),
  /** Alerts that mute others while they fire. */
  sourceMatchers: z.array(MatcherSchema).min(1, 'an inhibit rule needs at least one source matcher').describe('Matchers selecting the alerts that mute others.'),
  /** Alerts that get muted. */
  targetMatchers: z.array(MatcherSchema).min(1, 'an inhibit rule needs at least one target matcher').describe('Matchers selecting the alerts that get muted.'),
  /** Labels whose values must be equal in source and target. @default [] */
  equal: z.array(z.string().refine(isLabelName, 'expected a label name')).default([]).describe('Labels that must have equal values in source and target. Default none (any source mutes every target).'),
});

export type InhibitRuleInput = z.input<typeof InhibitRuleSchema>;
export type InhibitRule = z.output<typeof InhibitRuleSchema>;

/**
 * Labels that identify "the same thing" across alerts in the generated stack: discovery target labels,
 * the labels the health-check, postgres and redis jobs add, and `mountpoint` (one host, several
 * filesystems). Two alerts with equal values of all of these are about the same thing.
 */
export const TARGET_IDENTITY_LABELS: readonly string[] = ['namespace', 'job', 'instance', 'pod', 'node', 'check', 'database', 'redis', 'mountpoint'];

/** Options of {@link standardInhibitRules}. */
export interface StandardInhibitRulesOptions {
  /** Label carrying the severity. @default 'severity' */
  readonly severityLabel?: string;
  /**
   * Alert names (or regular expressions over them) that mean "this scrape target is down" (`up == 0`,
   * one alert per target). Only alerts carrying `job` and `instance` mute anything: the aggregated
   * `TargetDown` (per job) does not.
   * @default ['TargetDown', '.*ServiceDown', 'NodeExporterDown']
   */
  readonly targetDownAlerts?: readonly string[];
  /** Alert names (or regular expressions) that mean "this node is down / not ready". @default ['NodeDown', 'KubeNodeNotReady'] */
  readonly nodeDownAlerts?: readonly string[];
  /** Labels that identify one target for the severity rules. @default TARGET_IDENTITY_LABELS */
  readonly identityLabels?: readonly string[];
}

function alertnameIn(names: readonly string[], op: '=~' | '!~'): Matcher {
  return { name: 'alertname', op, value: names.join('|') };
}

/**
 * The default inhibit rules:
 * 1. `critical` mutes `warning` and `info` on the same target (every identity label equal; the alert
 *    names may differ: a failing service's latency warning is noise next to its error-rate page);
 * 2. `warning` mutes `info` on the same target;
 * 3. a target-down alert mutes every other alert of the same `job` + `instance`;
 * 4. a node-down alert mutes every other alert carrying the same `node`.
 */
export function standardInhibitRules(options: StandardInhibitRulesOptions = {}): InhibitRule[] {
  const sev = options.severityLabel ?? 'severity';
  const identity = [...(options.identityLabels ?? TARGET_IDENTITY_LABELS)];
  const targetDown = options.targetDownAlerts ?? ['TargetDown', '.*ServiceDown', 'NodeExporterDown'];
  const nodeDown = options.nodeDownAlerts ?? ['NodeDown', 'KubeNodeNotReady'];
  const rules: InhibitRule[] = [
    {
      name: 'critical-mutes-warning-and-info',
      // A source without a job is not about one target; it must not mute everything unlabelled.
      sourceMatchers: [{ name: sev, op: '=', value: 'critical' }, { name: 'job', op: '=~', value: '.+' }],
      targetMatchers: [{ name: sev, op: '=~', value: 'warning|info' }],
      equal: [...identity],
    },
    {
      name: 'warning-mutes-info',
      sourceMatchers: [{ name: sev, op: '=', value: 'warning' }, { name: 'job', op: '=~', value: '.+' }],
      targetMatchers: [{ name: sev, op: '=', value: 'info' }],
      equal: [...identity],
    },
  ];
  if (targetDown.length) {
    rules.push({
      name: 'target-down-mutes-its-alerts',
      sourceMatchers: [alertnameIn(targetDown, '=~'), { name: 'job', op: '=~', value: '.+' }, { name: 'instance', op: '=~', value: '.+' }],
      targetMatchers: [alertnameIn([...targetDown, ...nodeDown], '!~')],
      equal: ['job', 'instance'],
    });
  }
  if (nodeDown.length) {
    rules.push({
      name: 'node-down-mutes-its-alerts',
      sourceMatchers: [alertnameIn(nodeDown, '=~'), { name: 'node', op: '=~', value: '.+' }],
      targetMatchers: [alertnameIn(nodeDown, '!~')],
      equal: ['node'],
    });
  }
  return rules;
}

/** Renders one inhibit rule; `withName` is false for Alertmanager versions before 0.30. */
export function renderInhibitRule(r: InhibitRule, withName: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (withName && r.name) o.name = r.name;
  o.source_matchers = r.sourceMatchers.map(renderMatcher);
  o.target_matchers = r.targetMatchers.map(renderMatcher);
  if (r.equal.length) o.equal = r.equal;
  return o;
}
