import { z } from 'zod';
import { durationSeconds, isPromDuration } from '../lib/duration';
import { AlertRule, Rule, SEVERITIES, Severity, ThresholdText } from './rule';
import { packAlerts, RulePack } from './rule-pack';
import type { RuleTest } from './rule-test';
import { closest } from '../lib/suggest';
import { ruleIssues } from './validate';

/**
 * Overrides: reshape any shipped alert in one typed line instead of disabling and copying it.
 *
 *     overrides: {
 *       NodeHighCpuUsage: { threshold: 0.95, for: '30m' },
 *       KubeJobFailed: { enabled: false },
 *       TargetDown: { severity: 'critical', labels: { team: 'platform' } },
 *     }
 *
 * An override naming an alert that does not exist is an error listing the closest names, never a
 * silent no-op. Tests attached to an overridden alert are dropped: they describe the shipped behaviour.
 */

/** Changes to one alert. Every field is optional; unset fields keep the shipped value. */
export interface AlertOverride {
  /**
   * `false` removes the alert.
   * @default true
   */
  readonly enabled?: boolean;
  /** New threshold; the expression (and any text built from it) is rebuilt with it. */
  readonly threshold?: number;
  /** New `for` duration (`'0s'` removes it). */
  readonly for?: string;
  /** New `keep_firing_for` duration (`'0s'` removes it). */
  readonly keepFiringFor?: string;
  /** New severity. */
  readonly severity?: Severity;
  /** Labels merged over the alert's labels (e.g. `{ team: 'media' }`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Replacement expression: a string, or a function of the threshold. */
  readonly expr?: ThresholdText;
  /** Replacement summary. */
  readonly summary?: ThresholdText;
  /** Replacement description. */
  readonly description?: ThresholdText;
  /** Replacement runbook (repository path or absolute URL). */
  readonly runbook?: string;
}

/**
 * Overrides by alert name; a key may be qualified with the pack name (`node/NodeHighCpuUsage`).
 * Alert names are unique across rendered packs, so the plain name is enough in practice.
 */
export type AlertOverrides = Readonly<Record<string, AlertOverride>>;

const text = z.union([
  z.string().min(1, 'must not be empty'),
  z.custom<(t: number) => string>((v) => typeof v === 'function', 'expected a string or a function (threshold) => string'),
]);
const duration = z.string().refine(isPromDuration, 'expected a Prometheus duration such as "5m", "1h" (or "0s" to remove it)');

/** zod schema of one override (strict: a misspelt field is an error). */
export const alertOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  threshold: z.number({ error: (i) => (typeof i.input === 'number' && Number.isNaN(i.input) ? 'NaN is not a threshold: write a finite number such as 0.95' : undefined) })
    .refine(Number.isFinite, 'expected a finite number').optional(),
  for: duration.optional(),
  keepFiringFor: duration.optional(),
  severity: z.enum(SEVERITIES, `expected one of ${SEVERITIES.map((s) => `'${s}'`).join(', ')}`).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  expr: text.optional(),
  summary: text.optional(),
  description: text.optional(),
  runbook: z.string().optional(),
});

/** zod schema of a whole overrides map, for the stack configuration. */
export const alertOverridesSchema = z.record(z.string(), alertOverrideSchema);

function applyOne(alert: AlertRule, o: AlertOverride, key: string): AlertRule {
  if (o.threshold !== undefined && alert.threshold === undefined && typeof o.expr !== 'function') {
    throw new Error(`override '${key}': alert '${alert.name}' has no threshold to change; replace its expression instead: { expr: '...' }`);
  }
  const next: { -readonly [K in keyof AlertRule]: AlertRule[K] } = { ...alert, tests: undefined };
  if (o.threshold !== undefined) next.threshold = o.threshold;
  if (o.for !== undefined) next.for = durationSeconds(o.for) === 0 ? undefined : o.for;
  if (o.keepFiringFor !== undefined) next.keepFiringFor = durationSeconds(o.keepFiringFor) === 0 ? undefined : o.keepFiringFor;
  if (o.severity !== undefined) next.severity = o.severity;
  if (o.labels !== undefined) next.labels = { ...(alert.labels ?? {}), ...o.labels };
  if (o.expr !== undefined) next.expr = o.expr;
  if (o.summary !== undefined) next.summary = o.summary;
  if (o.description !== undefined) next.description = o.description;
  if (o.runbook !== undefined) next.runbook = o.runbook;
  // A string expression replaces the threshold's role: text still built from the old threshold would
  // describe a condition the alert no longer has ("above 90%" over `> 0.8`).
  if (typeof o.expr === 'string') {
    const stale = (['summary', 'description'] as const).filter((f) => typeof next[f] === 'function');
    if (stale.length > 0) {
      const t = next.threshold ?? alert.threshold;
      throw new Error(`override '${key}': expr is replaced by a string, but ${stale.join(' and ')} of '${alert.name}' ${stale.length > 1 ? 'are' : 'is'} built from the threshold and would still say "${(next[stale[0]] as (t: number) => string)(t ?? 0)}": write expr as a function of the threshold with the new value, { threshold: 0.8, expr: (t) => \`... > \${t}\` }, or override ${stale.join(' and ')} too`);
    }
  }
  // A replaced string expression no longer needs the threshold unless some text is still built from it.
  if (![next.expr, next.summary, next.description].some((t) => typeof t === 'function')) next.threshold = undefined;
  return next;
}

function withoutAlertTests(tests: readonly RuleTest[] | undefined, changed: Set<string>): RuleTest[] | undefined {
  if (!tests) return undefined;
  return tests
    .map((t) => ({ ...t, alerts: (t.alerts ?? []).filter((c) => !c.alert || !changed.has(c.alert)) }))
    .filter((t) => t.alerts.length > 0 || (t.samples ?? []).length > 0);
}

/**
 * Apply overrides to packs, returning new packs (the inputs are not changed). Throws one error listing
 * every problem: unknown alert names (with the closest known names), malformed overrides.
 */
export function applyOverrides(packs: readonly RulePack[], overrides: AlertOverrides = {}): RulePack[] {
  const problems: string[] = [];
  const known = packs.flatMap((p) => packAlerts(p).map((a) => ({ pack: p.name, name: a.name })));
  const targets = new Map<string, Array<{ key: string; override: AlertOverride }>>(); // by `pack/name`
  for (const [key, override] of Object.entries(overrides)) {
    const parsed = alertOverrideSchema.safeParse(override);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`override '${key}'${i.path.length ? ` › ${i.path.join('.')}` : ''}: ${i.message}`);
      continue;
    }
    const [packName, alertName] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    const matches = known.filter((k) => k.name === alertName && (packName === undefined || k.pack === packName));
    if (matches.length === 0) {
      const names = known.map((k) => (packName ? `${k.pack}/${k.name}` : k.name));
      const near = closest(key, names, 3);
      problems.push(`override '${key}': no shipped alert has this name${near.length ? `; did you mean ${near.map((n) => `'${n}'`).join(', ')}?` : ''}`);
      continue;
    }
    for (const m of matches) {
      const id = `${m.pack}/${m.name}`;
      targets.set(id, [...(targets.get(id) ?? []), { key, override }]);
    }
  }
  if (problems.length > 0) throw overrideError(problems);

  const result = packs.map((pack) => {
    const changed = new Set<string>();
    const groups = pack.groups
      .map((g) => ({
        ...g,
        rules: g.rules.flatMap((rule): Rule[] => {
          if (rule.kind !== 'alert') return [rule];
          const list = targets.get(`${pack.name}/${rule.name}`);
          if (!list) return [rule];
          changed.add(rule.name);
          let next: AlertRule = rule;
          for (const { key, override } of list) {
            if (override.enabled === false) return [];
            try {
              next = applyOne(next, override, key);
            } catch (e) {
              problems.push((e as Error).message);
              return [next];
            }
          }
          // Check the reshaped alert here, so a mistake is blamed on the override that made it, not on
          // the pack that shipped the alert.
          const keys = list.map((l) => `'${l.key}'`).join(', ');
          for (const i of ruleIssues([{ name: pack.name, target: pack.target, groups: [{ name: g.name, rules: [next] }] }])) {
            problems.push(`override ${keys} of ${pack.name}/${rule.name}${i.field ? ` › ${i.field}` : ''}: ${i.message}`);
          }
          return [next];
        }),
      }))
      .filter((g) => g.rules.length > 0);
    return { ...pack, groups, tests: withoutAlertTests(pack.tests, changed) };
  });
  if (problems.length > 0) throw overrideError(problems);
  return result;
}

function overrideError(problems: readonly string[]): Error {
  return new Error(`${problems.length} problem${problems.length === 1 ? '' : 's'} in alert overrides:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
