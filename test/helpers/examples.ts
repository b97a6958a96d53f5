import { App } from 'cdk8s';
import YAML from 'yaml';
import type { RulePack } from '../../alerts/rule-pack';
import type { VigilStackProps } from '../../charts/vigil-stack';
import * as barbossa from '../../examples/barbossa/main';
import * as canvascast from '../../examples/canvascast/main';
import * as idkarr from '../../examples/idkarr/main';
import * as medianest from '../../examples/medianest/main';
import type { Manifest } from './synth';
import { synthesizedObjects } from './synthesized';

/** One seed system's example app (examples/<name>/main.ts). */
export interface Example {
  readonly name: string;
  readonly buildApp: (outdir?: string) => App;
  readonly stackProps: () => VigilStackProps;
}

/** Every example, in the order the seeds were turned into examples. */
export const EXAMPLES: readonly Example[] = [
  { name: 'idkarr', buildApp: idkarr.buildApp, stackProps: idkarr.stackProps },
  { name: 'barbossa', buildApp: barbossa.buildApp, stackProps: barbossa.stackProps },
  { name: 'canvascast', buildApp: canvascast.buildApp, stackProps: canvascast.stackProps },
  { name: 'medianest', buildApp: medianest.buildApp, stackProps: medianest.stackProps },
];

/** An example by name; throws when it does not exist, so a test cannot pass vacuously. */
export function example(name: string): Example {
  const found = EXAMPLES.find((e) => e.name === name);
  if (!found) throw new Error(`no example '${name}'; known: ${EXAMPLES.map((e) => e.name).join(', ')}`);
  return found;
}

/**
 * The example's objects: its app's output (`CDK8S_OUTDIR=<dir> npx tsx examples/<name>/main.ts`),
 * synthesized once per test run however many test files ask (test/helpers/synthesized.ts).
 */
export function exampleObjects(ex: Example): Manifest[] {
  return synthesizedObjects(ex.name);
}

/** The rule packs the example defines itself (Prometheus and Loki), not the shipped defaults. */
export function examplePacks(ex: Example): RulePack[] {
  const props = ex.stackProps();
  return [...(props.rulePacks ?? []), ...(props.logRulePacks ?? [])];
}

/** One rule as rendered into a rule ConfigMap. */
export interface RenderedRule {
  /** Which ruler loads it: the ConfigMap's component label. */
  readonly ruler: 'prometheus' | 'loki';
  readonly configMap: string;
  readonly group: string;
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** Every rule of every Prometheus and Loki rule ConfigMap, parsed from the rendered YAML. */
export function renderedRules(objects: readonly Manifest[]): RenderedRule[] {
  const out: RenderedRule[] = [];
  for (const o of objects) {
    if (o.kind !== 'ConfigMap' || !/^(prometheus|loki)-rules-/.test(o.metadata.name)) continue;
    const ruler = o.metadata.labels?.['app.kubernetes.io/name'] as 'prometheus' | 'loki';
    for (const text of Object.values(o.data as Record<string, string>)) {
      for (const g of YAML.parse(text).groups ?? []) {
        for (const r of g.rules) {
          out.push({ ruler, configMap: o.metadata.name, group: g.name, alert: r.alert, record: r.record, expr: r.expr, for: r.for, labels: r.labels ?? {}, annotations: r.annotations ?? {} });
        }
      }
    }
  }
  return out;
}

/** A seed's alert as the seed writes it: the row of a test table compared with the rendered rules. */
export interface SeedAlert {
  readonly alert: string;
  readonly severity: 'critical' | 'warning' | 'info';
  /** The comparison that ends the expression, e.g. `> 0.05`; omit for an alert without a threshold. */
  readonly threshold?: string;
  /** The `for` duration; omit when the seed gives none. */
  readonly for?: string;
  /** Further labels the alert must carry (e.g. `category: 'business'` for routing). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Which ruler evaluates it. @default 'prometheus' */
  readonly ruler?: 'prometheus' | 'loki';
  /**
   * Text the expression (with the recording rules it reads expanded) must contain: the seed's metric
   * names and label matchers, e.g. `status=~"5.."`.
   * @default []
   */
  readonly reads?: readonly string[];
}

/** A rule's expression followed by the expressions of the recording rules it reads, recursively. */
export function exprWithRecords(rule: Pick<RenderedRule, 'expr'>, rules: readonly RenderedRule[], seen = new Set<string>()): string {
  const parts = [rule.expr];
  for (const r of rules) {
    if (!r.record || seen.has(r.record)) continue;
    const escaped = r.record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^a-zA-Z0-9_:])${escaped}([^a-zA-Z0-9_:]|$)`).test(rule.expr)) {
      seen.add(r.record);
      parts.push(exprWithRecords(r, rules, seen));
    }
  }
  return parts.join('\n');
}

const FINAL_COMPARISON = /(==|!=|>=|<=|>|<)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*$/;

/** The comparison an expression ends with, normalised to `<op> <number>`, or undefined. */
export function finalComparison(expr: string): string | undefined {
  const m = FINAL_COMPARISON.exec(expr.trim());
  return m ? `${m[1]} ${Number(m[2])}` : undefined;
}

/** Differences between a seed's alert table and the rendered rules; empty when every row matches exactly. */
export function seedAlertMismatches(rules: readonly RenderedRule[], table: readonly SeedAlert[]): string[] {
  const problems: string[] = [];
  for (const row of table) {
    const found = rules.filter((r) => r.alert === row.alert);
    if (found.length !== 1) {
      problems.push(`${row.alert}: rendered ${found.length} times, expected once`);
      continue;
    }
    const r = found[0];
    if (r.ruler !== (row.ruler ?? 'prometheus')) problems.push(`${row.alert}: evaluated by ${r.ruler}, expected ${row.ruler ?? 'prometheus'}`);
    if (r.labels.severity !== row.severity) problems.push(`${row.alert}: severity ${r.labels.severity}, expected ${row.severity}`);
    if (r.for !== row.for) problems.push(`${row.alert}: for ${r.for ?? '(none)'}, expected ${row.for ?? '(none)'}`);
    if (row.threshold !== undefined) {
      const expected = finalComparison(row.threshold);
      const got = finalComparison(r.expr);
      if (got !== expected) problems.push(`${row.alert}: threshold ${got ?? '(none)'}, expected ${expected} in: ${r.expr}`);
    }
    const full = exprWithRecords(r, rules);
    for (const text of row.reads ?? []) {
      if (!full.includes(text)) problems.push(`${row.alert}: expression does not read ${text}: ${full}`);
    }
    for (const [k, v] of Object.entries(row.labels ?? {})) {
      if (r.labels[k] !== v) problems.push(`${row.alert}: label ${k}=${r.labels[k] ?? '(unset)'}, expected ${v}`);
    }
  }
  return problems;
}
