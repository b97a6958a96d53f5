import { describe, expect, it } from 'vitest';
import { isSeriesSelector, promqlIssues, promqlMetricNames } from '../lib/promql';
import { run } from './helpers/run';
import { describeWithPinned } from './helpers/tools';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('PromQL validation (lezer-promql)', () => {
  const good = [
    'up == 0',
    'sum by (job) (rate(x[5m]))',
    'sum(rate(x[5m])) by (job)',
    'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > 2',
    'predict_linear(node_filesystem_avail_bytes{fstype!="tmpfs"}[6h], 24 * 3600) < 0',
    'sum(rate(http_requests_total{status=~"5.."}[5m]))\n/\nsum(rate(http_requests_total[5m])) > 0.05',
    'max_over_time(x[5m]) unless on (job) y',
    'a and on (namespace, pod) group_left (owner_kind) b',
    'vector(1)',
    'time() - process_start_time_seconds > 3600',
    'rate(x[5m:1m])',
    'job:http_requests:rate5m{job="api"} > 0.1',
    'absent(up{job="x"})',
    'quantile_over_time(0.9, x[5m])',
    'x offset 1h',
    // A selector needs one matcher that does not match the empty label; the name counts.
    '{job="api"}',
    '{job=~".+"}',
    '{__name__=~"up|x"}',
    '{"up"}',
    'count({job!=""})',
    'count({job=~".*", instance="a"})',
    'up{job=~".*"}',
  ];
  for (const expr of good) {
    it(`accepts ${JSON.stringify(expr)}`, () => {
      expect(promqlIssues(expr)).toEqual([]);
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['rate(x[5m]', /add the missing '\)'/],
    ['sum by (job) (rate(x[5m])', /add the missing '\)'/],
    ['foo{a="b"', /add the missing '}'/],
    ['up ==', /incomplete/],
    ['rate(x[5m]) foo', /syntax error near/],
    ['nonexistent_fn(x)', /syntax error/],
    ['sum(rate(x[5m])) by', /syntax error/],
    ['rate(x)', /rate\(\) needs a range vector/],
    ['increase(errors_total) > 0', /increase\(\) needs a range vector/],
    ['x[5m]', /range vector, which a rule cannot return/],
    ['x[5m] > 1', /range vector inside a comparison/],
    ['mad_over_time(x[5m])', /experimental/],
    ['rate(x[5m * 2])', /arithmetic in a duration/],
    ['', /empty/],
    ['{job=~".*"}', /selects every series/],
    ['count({job=""})', /selects every series/],
    ['{job!~".+"}', /selects every series/],
    ['sum(rate({__name__=~".*"}[5m]))', /selects every series/],
    ['{a!="x"} > 0', /selects every series/],
  ];
  for (const [expr, message] of bad) {
    it(`rejects ${JSON.stringify(expr)}`, () => {
      const issues = promqlIssues(expr);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues[0].message).toMatch(message);
    });
  }

  it('reports line and column in multi-line expressions', () => {
    const issues = promqlIssues('sum(rate(a[5m]))\n/\nsum(rate(b[5m]) > 1');
    expect(issues[0]).toMatchObject({ line: 3 });
    expect(issues[0].column).toBeGreaterThan(1);
  });

  it('lists the metric names an expression reads, including recording rules and __name__ matchers', () => {
    expect(promqlMetricNames('sum(rate(a_total[5m])) / on (job) job:b:rate5m + {__name__="c", x="y"} + rate({__name__=~"d.*"}[5m])')).toEqual(['a_total', 'c', 'job:b:rate5m']);
  });

  it('recognises plain series selectors (promtool input series)', () => {
    expect(isSeriesSelector('up{job="a", instance="b"}')).toBe(true);
    expect(isSeriesSelector('up')).toBe(true);
    expect(isSeriesSelector('rate(up[5m])')).toBe(false);
    expect(isSeriesSelector('up{job="a"')).toBe(false);
  });
});

describeWithPinned(['promtool'], 'selectors that match every series: synth and the pinned promtool agree', (paths) => {
  const cases = ['{job="api"}', '{job=~".+"}', '{"up"}', 'count({job!=""})', 'up{job=~".*"}', 'count({job=~".*", instance="a"})',
    '{job=~".*"}', 'count({job=""})', '{job!~".+"}', 'sum(rate({__name__=~".*"}[5m]))', '{a!="x"} > 0'];
  for (const expr of cases) {
    it(`${expr}: ${promqlIssues(expr).length ? 'refused' : 'accepted'} by both`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-selector-'));
      const file = join(dir, 'rules.yml');
      writeFileSync(file, `groups:\n- name: g\n  rules:\n  - record: x:y\n    expr: ${JSON.stringify(expr)}\n`);
      const r = run(paths.promtool, ['check', 'rules', file]);
      expect(r.status === 0, r.output).toBe(promqlIssues(expr).length === 0);
    });
  }
});
