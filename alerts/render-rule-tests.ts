import { renderedAlertMetadata, RenderRulesOptions, toYaml } from './render-rules';
import { resolveAlert } from './rule';
import { packAlerts, packTests, RulePack } from './rule-pack';
import type { ExpectedAlert } from './rule-test';
import { templateIssues } from '../lib/template';

/**
 * Rendering of a pack's typed tests into a `promtool test rules` file. Static labels and annotations of
 * an alert (severity, runbook_url, a summary without templates) are filled in from the rule, so a test
 * only spells out what depends on the input: series labels and templated text.
 */

function hasTemplate(s: string): boolean {
  return templateIssues(s).length === 0 && s.includes('{{');
}

/**
 * Expand a template that only prints labels (`{{ $labels.instance }} is down.`) from the expected labels,
 * as Go would; undefined when it uses anything else (`$value`, functions, conditionals), which the test
 * must then spell out.
 */
function expandLabelsOnly(template: string, labels: Record<string, string>): string | undefined {
  const actions = template.match(/\{\{[^}]*\}\}/g) ?? [];
  const simple = /^\{\{-?\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*-?\}\}$/;
  if (!actions.every((a) => simple.test(a) && simple.exec(a)![1] in labels)) return undefined;
  return template.replace(/\{\{-?\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*-?\}\}/g, (_m, name: string) => labels[name]);
}

function seriesLabels(labels: Record<string, string>): string {
  const body = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(', ');
  return `{${body}}`;
}

/** Options for rendering tests. */
export interface RenderRuleTestsOptions extends RenderRulesOptions {
  /**
   * Rule file the tests load, relative to the test file.
   * @default '<pack>.yml'
   */
  readonly ruleFile?: string;
}

/**
 * The promtool test file for a pack, or undefined when the pack has no tests. Throws when a test
 * leaves out a templated label or annotation (promtool compares them exactly).
 */
export function renderRuleTests(pack: RulePack, options: RenderRuleTestsOptions = {}): string | undefined {
  const tests = packTests(pack);
  if (tests.length === 0) return undefined;
  const alerts = new Map(packAlerts(pack).map((a) => [a.name, resolveAlert(a)]));

  const expected = (testName: string, alertName: string, e: ExpectedAlert, withAnnotations: boolean) => {
    const rule = alerts.get(alertName);
    if (!rule) throw new Error(`pack '${pack.name}' › test '${testName}': no alert '${alertName}' in the pack`);
    const meta = renderedAlertMetadata(rule, options);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta.labels)) if (!hasTemplate(v)) labels[k] = v;
    Object.assign(labels, e.labels ?? {});
    for (const [k, v] of Object.entries(meta.labels)) {
      if (hasTemplate(v) && !(k in labels)) {
        throw new Error(`pack '${pack.name}' › test '${testName}' › alert '${alertName}': label '${k}' is templated (${v}); give its expected value in labels.${k}`);
      }
    }
    if (!withAnnotations) return { labels };
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(meta.annotations)) if (!hasTemplate(v)) annotations[k] = v;
    Object.assign(annotations, e.annotations ?? {});
    for (const [k, v] of Object.entries(meta.annotations)) {
      if (hasTemplate(v) && !(k in annotations)) {
        const expanded = expandLabelsOnly(v, labels);
        if (expanded !== undefined) {
          annotations[k] = expanded;
          continue;
        }
        throw new Error(`pack '${pack.name}' › test '${testName}' › alert '${alertName}': annotation '${k}' is templated ("${v}"); give its expected text in annotations.${k}`);
      }
    }
    for (const k of Object.keys(annotations)) {
      if (!(k in meta.annotations)) throw new Error(`pack '${pack.name}' › test '${testName}' › alert '${alertName}': the alert has no annotation '${k}'`);
    }
    return { labels: sorted(labels), annotations: sorted(annotations) };
  };

  const doc = {
    rule_files: [options.ruleFile ?? `${pack.name}.yml`],
    evaluation_interval: '1m',
    // Evaluate groups in file order so recording rules feed the alerts that read them within one step.
    group_eval_order: pack.groups.map((g) => g.name),
    tests: tests.map((t) => {
      const alertRuleTest: unknown[] = [];
      const exprTests: unknown[] = [];
      for (const c of t.alerts) {
        if (c.state === 'firing') {
          alertRuleTest.push({
            eval_time: c.at,
            alertname: c.alert,
            exp_alerts: (c.alerts ?? []).map((e) => {
              const x = expected(t.name, c.alert, e, true);
              return { exp_labels: x.labels, exp_annotations: x.annotations };
            }),
          });
        } else {
          alertRuleTest.push({ eval_time: c.at, alertname: c.alert, exp_alerts: [] });
          // Not firing is also true of a rule that never matches; the ALERTS series tells the two apart.
          exprTests.push({
            expr: `ALERTS{alertname="${c.alert}"}`,
            eval_time: c.at,
            exp_samples: c.state === 'pending'
              ? (c.alerts ?? []).map((e) => ({
                labels: `ALERTS${seriesLabels({ ...expected(t.name, c.alert, e, false).labels, alertname: c.alert, alertstate: 'pending' })}`,
                value: 1,
              }))
              : [],
          });
        }
      }
      for (const s of t.samples ?? []) {
        exprTests.push({ expr: s.expr, eval_time: s.at, exp_samples: s.samples.map((x) => ({ labels: x.labels, value: x.value })) });
      }
      const out: Record<string, unknown> = { name: t.name, interval: t.interval ?? '1m' };
      if (t.externalLabels) out.external_labels = sorted(t.externalLabels);
      out.input_series = t.series.map((s) => ({ series: s.series, values: s.values }));
      if (alertRuleTest.length > 0) out.alert_rule_test = alertRuleTest;
      if (exprTests.length > 0) out.promql_expr_test = exprTests;
      return out;
    }),
  };
  return `# promtool tests for rule pack "${pack.name}", generated by Vigil.\n${toYaml(doc)}`;
}

function sorted(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(r).sort().map((k) => [k, r[k]]));
}
