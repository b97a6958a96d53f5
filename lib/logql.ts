import { parser } from '@grafana/lezer-logql';
import { bracketHint, excerpt, issueAt, QueryIssue } from './query-issues';

/**
 * LogQL validation for Loki ruler rules, with the lezer grammar Grafana uses in its query editor.
 * The Loki ruler only evaluates metric queries (`rate(...)`, `count_over_time(...)`, aggregations);
 * a bare log selector is valid LogQL but not a rule expression, so that is reported too.
 */
export function logqlIssues(expr: string): QueryIssue[] {
  if (expr.trim().length === 0) return [issueAt(expr, 0, 0, 'the expression is empty: write a LogQL metric query such as sum(rate({app="api"} |= "error" [5m])) > 1')];
  const tree = parser.parse(expr);
  const issues: QueryIssue[] = [];
  const hint = bracketHint(expr);
  tree.iterate({
    enter: (ref) => {
      if (issues.length > 0) return false;
      if (ref.type.isError) {
        const near = ref.from >= expr.length ? 'at the end of the expression' : `near "${excerpt(expr, ref.from, ref.to)}"`;
        issues.push(issueAt(expr, ref.from, ref.to, `syntax error ${near}${hint ? `; ${hint}` : '; check the stream selector, pipeline stages and range at this position'}`));
        return false;
      }
      return undefined;
    },
  });
  if (issues.length > 0) return issues;
  const exprNode = tree.topNode.getChild('Expr');
  if (exprNode && !exprNode.getChild('MetricExpr')) {
    issues.push(issueAt(expr, 0, expr.length, 'a log selector alone is not a rule expression: count matching lines with e.g. sum by (app) (count_over_time({app="api"} |= "error" [5m])) > 10'));
  }
  return issues;
}

/** Throws when `expr` is not a valid LogQL metric query; `where` names the rule in the message. */
export function assertLogql(expr: string, where: string): void {
  const issues = logqlIssues(expr);
  if (issues.length > 0) {
    const i = issues[0];
    throw new Error(`${where}: LogQL does not parse at ${i.line}:${i.column}: ${i.message}`);
  }
}
