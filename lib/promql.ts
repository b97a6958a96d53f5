import { parser } from '@prometheus-io/lezer-promql';
import { bracketHint, excerpt, issueAt, QueryIssue } from './query-issues';
import { re2MatchesEmpty } from './re2';

/** A node of the lezer tree (typed through the parser so no undeclared dependency is imported). */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];
type Tree = ReturnType<typeof parser.parse>;

/** Parse trees by expression: one expression is read by validation, label checks and the metric filter. */
const trees = new Map<string, Tree>();

/** Forgets every parsed tree: a benchmark measures each synth as a fresh process would run it. */
export function clearPromqlTrees(): void {
  trees.clear();
}

/** The lezer tree of a PromQL expression, parsed once per process (trees are immutable). */
export function parsePromql(expr: string): Tree {
  let tree = trees.get(expr);
  if (!tree) {
    // Bounded, so a long-running process that renders ever new expressions does not grow without end.
    if (trees.size >= 50_000) trees.clear();
    tree = parser.parse(expr);
    trees.set(expr, tree);
  }
  return tree;
}

/**
 * PromQL validation at synth time with the lezer port of the Prometheus grammar: syntax errors with
 * line/column and a suggested fix, plus the few type errors that are cheap to see on the tree (a range
 * function given an instant vector, a bare range vector as a result). `promtool check rules` remains the
 * authority and runs in the test suite; this check exists so a typo fails `npm run synth` with a message
 * naming the rule, instead of a rule file that Prometheus refuses to load.
 */

/** Functions whose argument must be a range vector (`x[5m]` or a subquery). */
const RANGE_FUNCTIONS = new Set([
  'Rate', 'Irate', 'Increase', 'Delta', 'Idelta', 'Deriv', 'PredictLinear', 'DoubleExponentialSmoothing',
  'Changes', 'Resets', 'AbsentOverTime', 'AvgOverTime', 'CountOverTime', 'FirstOverTime', 'LastOverTime',
  'MadOverTime', 'MaxOverTime', 'MinOverTime', 'PresentOverTime', 'QuantileOverTime', 'StddevOverTime',
  'StdvarOverTime', 'SumOverTime', 'TsOfFirstOverTime', 'TsOfMaxOverTime', 'TsOfMinOverTime', 'TsOfLastOverTime',
]);

/**
 * Syntax the lezer grammar accepts but that needs `--enable-feature=promql-experimental-functions` (or a
 * newer Prometheus than the tools the rules are checked with). Vigil does not enable experimental PromQL,
 * so such a rule would fail to load; say so at synth time.
 */
const EXPERIMENTAL_NODES: Record<string, string> = {
  MadOverTime: 'mad_over_time()',
  SortByLabel: 'sort_by_label()',
  SortByLabelDesc: 'sort_by_label_desc()',
  DoubleExponentialSmoothing: 'double_exponential_smoothing()',
  FirstOverTime: 'first_over_time()',
  TsOfFirstOverTime: 'ts_of_first_over_time()',
  TsOfMaxOverTime: 'ts_of_max_over_time()',
  TsOfMinOverTime: 'ts_of_min_over_time()',
  TsOfLastOverTime: 'ts_of_last_over_time()',
  Info: 'info()',
  HistogramQuantiles: 'histogram_quantiles()',
  StartTimestamp: 'start()-style functions',
  LimitK: 'limitk()',
  LimitRatio: 'limit_ratio()',
  AnchoredExpr: 'the anchored modifier',
  SmoothedExpr: 'the smoothed modifier',
  FillModifier: 'fill() vector-matching modifiers',
  DurationStep: 'step() in durations',
  DurationRange: 'range() in durations',
  DurationMinOf: 'min() in durations',
  DurationMaxOf: 'max() in durations',
};

/** Node names of arithmetic inside a duration (`[5m * 2]`), an experimental feature. */
const DURATION_ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow']);

function snakeName(nodeName: string): string {
  return nodeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** One label matcher of a selector. */
export interface LabelMatch {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/**
 * The metric name and label matchers of a `VectorSelector` node: the name written before the braces,
 * as a quoted name inside them, or as `__name__="…"`; `__name__` matchers of another operator stay in
 * `matches`.
 */
export function selectorParts(expr: string, node: SyntaxNode): { name?: string; matches: LabelMatch[] } {
  const ident = node.getChild('Identifier');
  let name = ident ? expr.slice(ident.from, ident.to) : undefined;
  const matches: LabelMatch[] = [];
  const matchers = node.getChild('LabelMatchers');
  for (let m = matchers?.firstChild; m; m = m.nextSibling) {
    if (m.name === 'QuotedLabelName') {
      name = unquote(expr.slice(m.from, m.to));
      continue;
    }
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const labelNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const opNode = m.getChild('MatchOp');
    const valueNode = m.getChild('StringLiteral');
    if (!labelNode || !opNode || !valueNode) continue;
    const label = unquote(expr.slice(labelNode.from, labelNode.to));
    const op = expr.slice(opNode.from, opNode.to).trim() as LabelMatch['op'];
    const value = unquote(expr.slice(valueNode.from, valueNode.to));
    if (label === '__name__' && op === '=') name = value;
    else matches.push({ label, op, value });
  }
  return { name, matches };
}

/** True when the matcher selects series without the label; undefined when an RE2 construct cannot be decided here. */
export function matchesEmpty(m: LabelMatch): boolean | undefined {
  switch (m.op) {
    case '=': return m.value === '';
    case '!=': return m.value !== '';
    case '=~': return re2MatchesEmpty(m.value);
    case '!~': { const e = re2MatchesEmpty(m.value); return e === undefined ? undefined : !e; }
  }
}

/** Syntax and cheap type issues in a PromQL expression; empty when it is valid. */
export function promqlIssues(expr: string): QueryIssue[] {
  if (expr.trim().length === 0) return [issueAt(expr, 0, 0, 'the expression is empty: write a PromQL query such as up == 0')];
  const tree = parsePromql(expr);
  const issues: QueryIssue[] = [];
  const hint = bracketHint(expr);
  tree.iterate({
    enter: (ref) => {
      if (ref.type.isError) {
        // Report only the first error node: lezer's recovery produces cascades after the first one.
        if (issues.length > 0) return false;
        const near = ref.from >= expr.length ? 'at the end of the expression' : `near "${excerpt(expr, ref.from, ref.to)}"`;
        issues.push(issueAt(expr, ref.from, ref.to, `syntax error ${near}${hint ? `; ${hint}` : (ref.from >= expr.length ? '; the expression is incomplete: finish the comparison or close the call' : '; check the operator, function name and label matchers at this position')}`));
        return false;
      }
      return undefined;
    },
  });
  if (issues.length > 0) return issues;

  const top = tree.topNode.firstChild;
  if (top && top.name === 'MatrixSelector') {
    issues.push(issueAt(expr, top.from, top.to, 'the expression is a range vector, which a rule cannot return: wrap it in a function such as rate(...) or max_over_time(...)'));
  }
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (EXPERIMENTAL_NODES[node.name]) {
        issues.push(issueAt(expr, node.from, node.to, `${EXPERIMENTAL_NODES[node.name]} is experimental PromQL that the generated Prometheus does not enable: rewrite it with stable functions`));
      }
      if (node.name === 'DurationExpr' && hasDescendant(node, (n) => DURATION_ARITHMETIC.has(n.name))) {
        issues.push(issueAt(expr, node.from, node.to, `arithmetic in a duration ("${expr.slice(node.from, node.to)}") is experimental PromQL: write a literal duration such as 10m`));
      }
      if (node.name === 'FunctionCall') checkRangeArgument(expr, node, issues);
      if (node.name === 'VectorSelector') {
        // promql/parser/parse.go (checkAST, VectorSelector) at v3.14.0 refuses a selector whose every
        // matcher matches the empty string, so a typo cannot select every series.
        const { name, matches } = selectorParts(expr, node);
        if (name === undefined && matches.every((m) => matchesEmpty(m) === true)) {
          issues.push(issueAt(expr, node.from, node.to, `"${expr.slice(node.from, node.to)}" selects every series: Prometheus refuses a selector whose every matcher also matches an empty label; name the metric or add a matcher such as job="api" (=~".+" instead of =~".*")`));
        }
      }
      if (node.name === 'BinaryExpr') {
        for (let c = node.firstChild; c; c = c.nextSibling) {
          if (c.name === 'MatrixSelector') {
            issues.push(issueAt(expr, c.from, c.to, `"${expr.slice(c.from, c.to)}" is a range vector inside a comparison or arithmetic: wrap it in rate(...), increase(...) or a *_over_time(...) function`));
          }
        }
      }
    },
  });
  return issues;
}

function hasDescendant(node: SyntaxNode, pred: (n: SyntaxNode) => boolean): boolean {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (pred(c) || hasDescendant(c, pred)) return true;
  }
  return false;
}

function checkRangeArgument(expr: string, call: SyntaxNode, issues: QueryIssue[]): void {
  const ident = call.getChild('FunctionIdentifier');
  const fn = ident?.firstChild?.name;
  if (!ident || !fn || !RANGE_FUNCTIONS.has(fn)) return;
  const body = call.getChild('FunctionCallBody');
  if (!body) return;
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (c.name === 'MatrixSelector' || c.name === 'SubqueryExpr') return;
  }
  const name = snakeName(fn);
  issues.push(issueAt(expr, call.from, call.to, `${name}() needs a range vector argument: add a range such as [5m] after the selector, e.g. ${name}(metric[5m])`));
}

/** Throws when `expr` is not valid PromQL; `where` names the rule in the message. */
export function assertPromql(expr: string, where: string): void {
  const issues = promqlIssues(expr);
  if (issues.length > 0) {
    const i = issues[0];
    throw new Error(`${where}: PromQL does not parse at ${i.line}:${i.column}: ${i.message}`);
  }
}

/**
 * Metric names an expression reads: selector names (`up{job="x"}`) and `{__name__="x"}` matchers.
 * Regex `__name__` matchers are not resolved. Used to check packs against their metric catalogue.
 */
export function promqlMetricNames(expr: string): string[] {
  const names = new Set<string>();
  parsePromql(expr).iterate({
    enter: (ref) => {
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const ident = node.getChild('Identifier');
      if (ident) names.add(expr.slice(ident.from, ident.to));
      const matchers = node.getChild('LabelMatchers');
      for (let m = matchers?.firstChild; m; m = m.nextSibling) {
        if (m.name === 'QuotedLabelName') {
          names.add(unquote(expr.slice(m.from, m.to)));
        } else if (m.name === 'UnquotedLabelMatcher') {
          const label = m.getChild('LabelName');
          const op = m.getChild('MatchOp')?.firstChild?.name;
          const value = m.getChild('StringLiteral');
          if (label && value && op === 'EqlSingle' && expr.slice(label.from, label.to) === '__name__') {
            names.add(unquote(expr.slice(value.from, value.to)));
          }
        }
      }
    },
  });
  return [...names].sort();
}

/** A PromQL string literal's value (double, single or back quotes; backslash escapes undone in the first two). */
export function unquote(s: string): string {
  const q = s[0];
  if ((q === '"' || q === "'" || q === '`') && s.endsWith(q)) {
    const inner = s.slice(1, -1);
    return q === '`' ? inner : inner.replace(/\\(.)/g, '$1');
  }
  return s;
}

/** True when `s` is a plain series selector such as `up{job="api"}` (as promtool input series are written). */
export function isSeriesSelector(s: string): boolean {
  if (promqlIssues(s).length > 0) return false;
  const top = parsePromql(s).topNode.firstChild;
  return top !== null && top.name === 'VectorSelector' && top.nextSibling === null;
}

/**
 * The labels an expression's result series can carry, as far as the expression says: a closed set
 * when an aggregation's `by (...)`, `vector(...)`, `absent(...)` or `on(...)` fixes them, `undefined`
 * (any label) when a bare selector's series flow through. Used to check that an alert's
 * `{{ $labels.x }}` names a label the result can have. Empty for a scalar.
 */
export function promqlResultLabels(expr: string): ReadonlySet<string> | undefined {
  if (promqlIssues(expr).length > 0) return undefined;
  const top = parsePromql(expr).topNode.firstChild;
  if (!top) return undefined;
  const r = resultOf(expr, top);
  return r.kind === 'scalar' ? new Set() : r.labels;
}

type Result = { kind: 'scalar' } | { kind: 'vector'; labels?: Set<string> };
const OPEN: Result = { kind: 'vector' };
const SCALAR_FUNCTIONS = new Set(['Scalar', 'Time', 'Pi']);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const NON_AGGREGATING = new Set(['Topk', 'Bottomk', 'LimitK', 'LimitRatio']);

function labelNames(expr: string, node: SyntaxNode | null): string[] {
  const out: string[] = [];
  for (let c = node?.firstChild ?? null; c; c = c.nextSibling) if (c.name === 'LabelName') out.push(unquote(expr.slice(c.from, c.to)));
  return out;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const EXPRESSIONS = new Set(['AggregateExpr', 'BinaryExpr', 'FunctionCall', 'MatrixSelector', 'NumberDurationLiteral', 'NumberLiteral', 'OffsetExpr', 'ParenExpr', 'StringLiteral', 'SubqueryExpr', 'UnaryExpr', 'VectorSelector', 'StepInvariantExpr', 'AtModifierPreprocessors']);

function resultOf(expr: string, node: SyntaxNode): Result {
  switch (node.name) {
    case 'NumberDurationLiteral':
    case 'NumberLiteral':
    case 'StringLiteral':
      return { kind: 'scalar' };
    case 'VectorSelector':
      return OPEN;
    case 'MatrixSelector':
    case 'SubqueryExpr':
    case 'OffsetExpr':
    case 'StepInvariantExpr':
    case 'ParenExpr':
    case 'UnaryExpr': {
      const inner = children(node).find((c) => EXPRESSIONS.has(c.name));
      return inner ? resultOf(expr, inner) : OPEN;
    }
    case 'AggregateExpr': {
      const op = node.getChild('AggregateOp')?.firstChild?.name ?? '';
      const mod = node.getChild('AggregateModifier');
      const args = children(node.getChild('FunctionCallBody') ?? node).filter((c) => EXPRESSIONS.has(c.name));
      const input = args.length ? resultOf(expr, args[args.length - 1]) : OPEN;
      const inputLabels = input.kind === 'vector' ? input.labels : new Set<string>();
      if (NON_AGGREGATING.has(op)) return input.kind === 'vector' ? input : OPEN;
      const extra = op === 'CountValues' && args[0]?.name === 'StringLiteral' ? [unquote(expr.slice(args[0].from, args[0].to))] : [];
      if (mod?.getChild('By')) return { kind: 'vector', labels: new Set([...labelNames(expr, mod.getChild('GroupingLabels')), ...extra]) };
      if (mod?.getChild('Without')) {
        if (!inputLabels) return OPEN;
        const drop = new Set(labelNames(expr, mod.getChild('GroupingLabels')));
        return { kind: 'vector', labels: new Set([...[...inputLabels].filter((l) => !drop.has(l)), ...extra]) };
      }
      return { kind: 'vector', labels: new Set(extra) };
    }
    case 'FunctionCall': {
      const fn = node.getChild('FunctionIdentifier')?.firstChild?.name ?? '';
      const args = children(node.getChild('FunctionCallBody') ?? node).filter((c) => EXPRESSIONS.has(c.name));
      if (SCALAR_FUNCTIONS.has(fn)) return { kind: 'scalar' };
      if (fn === 'Vector') return { kind: 'vector', labels: new Set() };
      if (fn === 'Absent' || fn === 'AbsentOverTime') {
        const labels = new Set<string>();
        const walk = (n: SyntaxNode) => {
          for (let c = n.firstChild; c; c = c.nextSibling) {
            if (c.name === 'UnquotedLabelMatcher' && c.getChild('MatchOp')?.firstChild?.name === 'EqlSingle') {
              const l = c.getChild('LabelName');
              if (l) labels.add(expr.slice(l.from, l.to));
            } else walk(c);
          }
        };
        walk(node);
        labels.delete('__name__');
        return { kind: 'vector', labels };
      }
      const vectorArg = args.find((a) => resultOf(expr, a).kind === 'vector');
      const input = vectorArg ? resultOf(expr, vectorArg) : OPEN;
      const labels = input.kind === 'vector' ? input.labels : undefined;
      if ((fn === 'LabelReplace' || fn === 'LabelJoin') && args[1]?.name === 'StringLiteral') {
        return labels ? { kind: 'vector', labels: new Set([...labels, unquote(expr.slice(args[1].from, args[1].to))]) } : OPEN;
      }
      if (fn === 'HistogramQuantile' && labels) return { kind: 'vector', labels: new Set([...labels].filter((l) => l !== 'le')) };
      return labels ? { kind: 'vector', labels: new Set(labels) } : OPEN;
    }
    case 'BinaryExpr': {
      const parts = children(node);
      const sides = parts.filter((c) => EXPRESSIONS.has(c.name));
      if (sides.length !== 2) return OPEN;
      const [l, r] = sides.map((s) => resultOf(expr, s));
      const opNode = parts.find((c) => !EXPRESSIONS.has(c.name) && c.name !== 'MatchingModifierClause' && c.name !== 'BoolModifier');
      const op = opNode?.name ?? '';
      if (l.kind === 'scalar' && r.kind === 'scalar') return { kind: 'scalar' };
      if (l.kind === 'scalar') return r;
      if (r.kind === 'scalar') return l;
      const mm = node.getChild('MatchingModifierClause');
      const groups = mm ? mm.getChildren('GroupingLabels') : [];
      const matching = groups[0] ? labelNames(expr, groups[0]) : [];
      const include = groups[1] ? labelNames(expr, groups[1]) : [];
      const grouped = !!(mm?.getChild('GroupLeft') || mm?.getChild('GroupRight'));
      if (op === 'And' || op === 'Unless') return l;
      if (op === 'Or') return l.labels && r.labels ? { kind: 'vector', labels: new Set([...l.labels, ...r.labels]) } : OPEN;
      if (mm?.getChild('GroupRight')) return r.labels ? { kind: 'vector', labels: new Set([...r.labels, ...include]) } : OPEN;
      const filter = COMPARISONS.has(op) && !node.getChild('BoolModifier');
      if (filter || grouped) return l.labels ? { kind: 'vector', labels: new Set([...l.labels, ...include]) } : OPEN;
      if (mm?.getChild('On')) return { kind: 'vector', labels: new Set(matching) };
      if (mm?.getChild('Ignoring') && l.labels) return { kind: 'vector', labels: new Set([...l.labels].filter((x) => !matching.includes(x))) };
      return l;
    }
    default:
      return OPEN;
  }
}
