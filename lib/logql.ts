import { parser } from '@grafana/lezer-logql';
import { matchesEmpty } from './promql';
import { bracketHint, excerpt, issueAt, QueryIssue } from './query-issues';
import { re2SyntaxProblems } from './re2';

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

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
  issues.push(...logqlSemanticIssues(expr, tree));
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

/**
 * What Loki refuses in a query that parses:
 * - a stream selector whose every matcher matches the empty string (`{app!="x"}`, `{app=~".*"}`):
 *   "queries require at least one regexp or equality matcher that does not have an empty-compatible
 *   value". Regexes are checked the way Loki anchors them (`^(?:re)$`); one that cannot be decided here
 *   counts as non-empty, so no valid selector is refused.
 * - a regex that is not RE2 (Loki compiles them with Go's regexp): stream and label-filter matchers
 *   (`=~`, `!~`), line filters (`|~`, `!~`) and the `regexp` parser's pattern. Lookaround or a
 *   backreference passes the grammar and fails in Loki.
 */
export function logqlSemanticIssues(expr: string, tree = parser.parse(expr)): QueryIssue[] {
  const issues: QueryIssue[] = [];
  const regex = (str: SyntaxNode | null) => {
    if (!str) return;
    const problem = re2SyntaxProblems(unquoteLogql(expr.slice(str.from, str.to)))[0];
    if (problem) issues.push(issueAt(expr, str.from, str.to, `the regex ${expr.slice(str.from, str.to)} is not RE2, which Loki uses (Go's regexp): ${problem}`));
  };
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.name === 'Selector') {
        const all: SyntaxNode[] = [];
        const collect = (n: SyntaxNode | null) => {
          for (let c = n?.firstChild ?? null; c; c = c.nextSibling) {
            if (c.name === 'Matcher') all.push(c);
            else if (c.name === 'Matchers') collect(c);
          }
        };
        collect(node.getChild('Matchers'));
        let required = false;
        for (const m of all) {
          const op = matcherOp(m);
          const str = m.getChild('String');
          if (!op || !str) { required = true; continue; }
          if (op === '=~' || op === '!~') regex(str);
          if (!matcherMatchesEmpty(op, unquoteLogql(expr.slice(str.from, str.to)))) required = true;
        }
        if (!required) {
          const text = expr.slice(node.from, node.to);
          issues.push(issueAt(expr, node.from, node.to, `Loki refuses the selector ${text}: it needs at least one matcher that cannot match an empty value, such as namespace="apps", namespace=~".+" or namespace!="" (=~".*" and != "x" match streams without the label)`));
        }
        return false;
      }
      const filter = node.name === 'LineFilter' ? node.getChild('Filter') : null;
      if ((node.name === 'Matcher' && (matcherOp(node) === '=~' || matcherOp(node) === '!~'))
        || (filter && (filter.getChild('PipeMatch') || filter.getChild('Nre')))
        || (node.name === 'LabelParser' && node.getChild('Regexp'))) {
        regex(node.getChild('String'));
        return false;
      }
      return undefined;
    },
  });
  return issues;
}

function matcherOp(m: SyntaxNode): '=' | '!=' | '=~' | '!~' | undefined {
  return m.getChild('Eq') ? '=' : m.getChild('Neq') ? '!=' : m.getChild('Re') ? '=~' : m.getChild('Nre') ? '!~' : undefined;
}

function unquoteLogql(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  try {
    return JSON.parse(s) as string;
  } catch {
    return s.slice(1, -1);
  }
}

/**
 * Whether a label matcher matches the empty string, as Prometheus' labels.Matcher does. A regex whose
 * answer cannot be decided here counts as not matching it, so no valid selector is refused on a guess.
 */
export function matcherMatchesEmpty(op: '=' | '!=' | '=~' | '!~', value: string): boolean {
  return matchesEmpty({ label: '', op, value }) ?? false;
}
