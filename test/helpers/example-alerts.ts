import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRoutingConfig, routingLabelWarnings } from '../../alerts/routing/alertmanager-config';
import { uncataloguedMetrics } from '../../alerts/catalogue-check';
import { ruleIssues } from '../../alerts/validate';
import { forInstalledAmtool } from './amtool-compat';
import { Example, SeedAlert, exampleObjects, examplePacks, renderedRules, seedAlertMismatches } from './examples';
import { promtoolPackChecks, ruleTestCoverageProblems } from './promtool-rules';
import { Manifest, objectOf } from './synth';
import { describeWithTool } from './tools';

/** What one example's alert suite checks. */
export interface ExampleAlertSuite {
  readonly example: Example;
  /** The seed's alerts, copied from the seed: names, severities, thresholds, `for`. */
  readonly seedAlerts: readonly SeedAlert[];
  /**
   * The receivers an alert with these labels must reach, in routing-tree order (what
   * `amtool config routes test` prints).
   */
  readonly receivers: (labels: Readonly<Record<string, string>>) => string[];
}

/**
 * The alert checks every example shares: the seed's table against the rendered rule files, the
 * example's own packs (validation, metric catalogues, promtool check and unit tests with firing,
 * not-firing and pending cases), and the routing of every rendered alert under the real amtool.
 */
export function exampleAlertSuite(s: ExampleAlertSuite): void {
  const name = s.example.name;
  const objects: Manifest[] = exampleObjects(s.example);
  const rules = renderedRules(objects);
  const alerts = rules.filter((r) => r.alert);
  const packs = examplePacks(s.example);

  describe(`${name}: the seed's alerts`, () => {
    it('are rendered with the seed\'s names, severities, thresholds and for durations', () => {
      expect(s.seedAlerts.length).toBeGreaterThan(0);
      expect(seedAlertMismatches(rules, s.seedAlerts)).toEqual([]);
    });

    it('the comparison catches a changed threshold, severity, for or label (it can fail)', () => {
      const row = s.seedAlerts.find((a) => a.threshold && a.for)!;
      const other = row.severity === 'critical' ? 'warning' : 'critical';
      expect(seedAlertMismatches(rules, [{ ...row, threshold: row.threshold!.replace(/[\d.]+\s*$/, (n) => String(Number(n) + 1)) }])).toHaveLength(1);
      expect(seedAlertMismatches(rules, [{ ...row, severity: other }])).toHaveLength(1);
      expect(seedAlertMismatches(rules, [{ ...row, for: '59m' }])).toHaveLength(1);
      expect(seedAlertMismatches(rules, [{ ...row, labels: { team: 'nobody' } }])).toHaveLength(1);
      expect(seedAlertMismatches(rules, [{ ...row, alert: `${row.alert}Typo` }])).toHaveLength(1);
    });

    it('have runbook links and every rendered alert name is unique', () => {
      // A shipped runbook (docs/runbooks/) or one of the example's own (examples/<name>/runbooks/).
      const runbook = new RegExp(`/(docs|examples/${name})/runbooks/[A-Za-z0-9]+\\.md$`);
      for (const a of alerts) expect(a.annotations.runbook_url, a.alert).toMatch(runbook);
      const names = alerts.map((a) => a.alert);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    });
  });

  describe(`${name}: the example's own rule packs`, () => {
    it('validate (PromQL/LogQL, names, templates) and have a test for every alert', () => {
      expect(packs.length).toBeGreaterThan(0);
      expect(ruleIssues(packs)).toEqual([]);
      const prometheusPacks = packs.filter((p) => (p.target ?? 'prometheus') === 'prometheus');
      expect(prometheusPacks.flatMap(ruleTestCoverageProblems)).toEqual([]);
    });

    it('read only metrics from their catalogues', () => {
      expect(packs.flatMap(uncataloguedMetrics)).toEqual([]);
    });
  });

  describeWithTool('promtool', `${name}: the example's rule packs under promtool`, (promtool) => {
    promtoolPackChecks(promtool, packs.filter((p) => (p.target ?? 'prometheus') === 'prometheus'), (p) => `${name}/${p.name}`);
  });

  describe(`${name}: routing`, () => {
    it('matches only labels the alerts carry (a routing matcher on a label no alert has never matches)', () => {
      const cm = objectOf(objects, 'ConfigMap', 'alertmanager-config');
      expect(cm).toBeDefined();
      const routing = parseRoutingConfig(s.example.stackProps().config?.alertmanager?.routing ?? {});
      const labelNames = new Set(alerts.flatMap((a) => Object.keys(a.labels)));
      expect(routingLabelWarnings(routing, labelNames).filter((w) => w.path[0] === 'route').map((w) => w.message)).toEqual([]);
    });
  });

  describeWithTool('amtool', `${name}: every rendered alert reaches its receivers (amtool config routes test)`, (amtool) => {
    const dir = mkdtempSync(join(tmpdir(), `vigil-${name}-routes-`));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(`routes each of the ${alerts.length} alerts as the seed asks`, () => {
      const file = join(dir, 'alertmanager.yml');
      writeFileSync(file, forInstalledAmtool(objectOf(objects, 'ConfigMap', 'alertmanager-config').data['alertmanager.yml']));
      const problems: string[] = [];
      for (const a of alerts) {
        const labels = { alertname: a.alert!, ...a.labels };
        const run = spawnSync(amtool, ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], { encoding: 'utf8' });
        if (run.status !== 0) {
          problems.push(`${a.alert}: amtool failed: ${run.stderr}`);
          continue;
        }
        const got = run.stdout.trim().split('\n').pop()!.split(',');
        const want = s.receivers(labels);
        if (got.join(',') !== want.join(',')) problems.push(`${a.alert} {${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')}} → ${got.join(', ')}, expected ${want.join(', ')}`);
      }
      expect(alerts.length).toBeGreaterThan(s.seedAlerts.length);
      expect(problems).toEqual([]);
    });
  });
}
