import { describe, expect, it } from 'vitest';
import { logqlIssues } from '../lib/logql';

describe('LogQL validation (lezer-logql)', () => {
  const good = [
    'sum by (namespace, container) (count_over_time({namespace=~".+"} |~ `(?i)error` [5m])) > 10',
    'sum(rate({app="api"} | json | level="error" [5m])) by (app) > 1',
    'sum by (app) (rate({app="api"} |= "login failed" [5m]))',
    'count_over_time({job="x"}[1m]) == 0',
    // RE2 constructs Go's regexp knows, in every place LogQL takes a regex.
    'sum(count_over_time({app=~"api|web", env!~"dev.*"} |~ "(?i)time(d)? ?out" !~ `\\d{3}` | json | level=~"err(or)?" [5m])) > 0',
    'sum(count_over_time({app="a"} | regexp `(?P<status>\\d{3})` [5m])) > 0',
  ];
  for (const expr of good) {
    it(`accepts ${JSON.stringify(expr)}`, () => expect(logqlIssues(expr)).toEqual([]));
  }
  const bad: Array<[string, RegExp]> = [
    ['{place="incomplete"', /add the missing '}'/],
    ['rate({a="b"}[5m]', /add the missing '\)'/],
    ['{app="api"} |= "error"', /log selector alone is not a rule expression/],
    ['sum(rate({app="api"} |= [5m]))', /syntax error/],
    ['', /empty/],
    // Lookaround and backreferences pass the grammar but not Go's regexp, in each place a regex goes.
    ['sum(count_over_time({app=~"(?!test).+"} [5m])) > 0', /not RE2.*lookaround/],
    ['sum(count_over_time({app="a"} |~ "err(?=or)" [5m])) > 0', /not RE2.*lookaround/],
    ['sum(count_over_time({app="a"} !~ "(a)\\1" [5m])) > 0', /not RE2.*backreference/],
    ['sum(count_over_time({app="a"} | json | level=~"(?<!x)err" [5m])) > 0', /not RE2.*lookaround/],
    ['sum(count_over_time({app="a"} | regexp `(?P<x>a)\\k<x>` [5m])) > 0', /not RE2.*backreference/],
  ];
  for (const [expr, message] of bad) {
    it(`rejects ${JSON.stringify(expr)}`, () => {
      const issues = logqlIssues(expr);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues[0].message).toMatch(message);
    });
  }
});
