import { z } from 'zod';
import { re2SyntaxProblems } from '../../lib/re2';

/**
 * Alertmanager label matchers (`severity="critical"`, `namespace=~"media|db"`) as typed values.
 * Routes and inhibit rules take either a typed object or the string form; both are parsed once,
 * validated (label name legal, regular expression compiles as RE2 would read it) and rendered back
 * in one canonical, always-quoted form that Alertmanager 0.22+ reads the same way with its classic
 * and its UTF-8 matcher parser.
 */

/** The four matcher operators: equal, not equal, regex match, regex non-match. */
export type MatchOperator = '=' | '!=' | '=~' | '!~';
export const MATCH_OPERATORS: readonly MatchOperator[] = ['=', '!=', '=~', '!~'];

/** A parsed matcher. Regex values are anchored by Alertmanager (`^(?:value)$`). */
export interface Matcher {
  readonly name: string;
  readonly op: MatchOperator;
  readonly value: string;
}

/** The string form, e.g. `severity="critical"` or `namespace=~"media|db"`. */
export type MatcherString = `${string}${MatchOperator}${string}`;

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Same shape as Alertmanager's classic parser: name, operator, value (quoted or bare).
const MATCHER_RE = /^\s*([^=!~\s]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** True when `name` is a label name every Alertmanager version accepts. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME_RE.test(name);
}

/**
 * Why a regular expression would not compile in Alertmanager (Go RE2), or undefined when it does.
 * JavaScript's engine stands in for RE2: RE2-only syntax (`(?i)`, `(?P<name>`) is translated and
 * JavaScript-only syntax RE2 lacks (look-around, back-references) is reported.
 */
export function regexProblem(pattern: string): string | undefined {
  if (/\(\?<?[=!]/.test(pattern)) return 'look-ahead/look-behind ("(?=", "(?!", "(?<=", "(?<!") is not supported by RE2, the engine Alertmanager uses';
  if (/\\[1-9]|\\k</.test(pattern)) return 'back-references ("\\1", "\\k<name>") are not supported by RE2, the engine Alertmanager uses';
  // The rest of RE2's rules (lib/re2.ts, after Go's regexp/syntax): JavaScript accepts `\u00e9`, `\Z`
  // and repeat counts above 1000, and Alertmanager refuses the configuration for each.
  const re2 = re2SyntaxProblems(pattern);
  if (re2.length) return `${re2.join('; ')} (RE2, the engine Alertmanager uses)`;
  let flags = '';
  let body = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    body = body.slice(leading[0].length);
    flags = [...new Set(leading[1].replace(/U/g, '').split(''))].join('');
  }
  body = body.replace(/\(\?P</g, '(?<').replace(/\(\?[imsU]+:/g, '(?:');
  try {
    new RegExp(`^(?:${body})$`, flags);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Characters an unquoted value may not contain: Alertmanager's matchers parser (`isReserved` in
 * matcher/parse/lexer.go at v0.34.0) ends a bare value at them, and its classic fallback
 * (pkg/labels/parse.go) keeps quotes other than a surrounding pair of double quotes as part of the
 * value, so `severity='critical'` would only match the value 'critical' with its quotes.
 */
const RESERVED_UNQUOTED = /[\s{}!=~,\\"'`]/;

/** Reads a value: a double-quoted string (`\"`, `\\` and `\n` unescaped) or a bare word. */
function unquote(raw: string): string {
  if (raw.startsWith('"')) {
    let out = '';
    for (let i = 1; i < raw.length; i++) {
      const c = raw[i];
      if (c === '\\' && i < raw.length - 1) {
        const next = raw[++i];
        out += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
      } else if (c === '"') {
        if (i !== raw.length - 1) throw new Error('the value has text after its closing double quote, or an unescaped double quote inside it; write \\" for a quote inside a quoted value');
        return out;
      } else {
        out += c;
      }
    }
    throw new Error('the value opens a double quote it never closes; write e.g. team="ops"');
  }
  if (raw.startsWith("'") || raw.startsWith('`')) {
    throw new Error(`Alertmanager does not read ${raw[0]} as a quote: the value would keep it and never match; use double quotes, e.g. severity="critical"`);
  }
  const bad = RESERVED_UNQUOTED.exec(raw);
  if (bad) throw new Error(`an unquoted value may not contain ${bad[0] === '"' ? 'a double quote' : /\s/.test(bad[0]) ? 'spaces' : `"${bad[0]}"`}; put the whole value in double quotes, e.g. team="ops"`);
  return raw;
}

/** Problems with a matcher (bad label name, regex that does not compile), empty when it is valid. */
export function matcherProblems(m: Matcher): string[] {
  const problems: string[] = [];
  if (!isLabelName(m.name)) problems.push(`label name "${m.name}" is not valid: use letters, digits and "_", not starting with a digit`);
  if (!MATCH_OPERATORS.includes(m.op)) problems.push(`operator "${m.op}" is not one of ${MATCH_OPERATORS.join(' ')}`);
  if (m.op === '=~' || m.op === '!~') {
    const problem = regexProblem(m.value);
    if (problem) problems.push(`regular expression "${m.value}" does not compile: ${problem}`);
  }
  return problems;
}

/** Parses `name<op>value` (value quoted or bare); throws with the matcher and a corrected example. */
export function parseMatcher(text: string): Matcher {
  const m = MATCHER_RE.exec(text);
  if (!m) {
    throw new Error(`matcher '${text}' does not parse: write name, operator (= != =~ !~) and a quoted value, e.g. 'severity="critical"' or 'namespace=~"media|db"'`);
  }
  let value: string;
  try {
    value = unquote(m[3]);
  } catch (e) {
    throw new Error(`matcher '${text}': ${(e as Error).message}`);
  }
  const matcher: Matcher = { name: m[1], op: m[2] as MatchOperator, value };
  const problems = matcherProblems(matcher);
  if (problems.length) throw new Error(`matcher '${text}': ${problems.join('; ')}`);
  return matcher;
}

/** The canonical string form: `name="value"` with `\`, `"` and newlines escaped. */
export function renderMatcher(m: Matcher): string {
  const escaped = m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${m.name}${m.op}"${escaped}"`;
}

/** Builds a matcher in code: `matcher('severity', '=~', 'warning|info')`. */
export function matcher(name: string, op: MatchOperator, value: string): Matcher {
  const m: Matcher = { name, op, value };
  const problems = matcherProblems(m);
  if (problems.length) throw new Error(`matcher ${renderMatcher(m)}: ${problems.join('; ')}`);
  return m;
}

const MatcherObjectSchema = z.strictObject({
  /** Label name. */
  name: z.string().describe('Label name, e.g. "severity".'),
  /**
   * Operator.
   * @default '='
   */
  op: z.enum(['=', '!=', '=~', '!~']).default('=').describe('Operator: "=", "!=", "=~" (regex match) or "!~" (regex non-match). Default "=".'),
  /** Value; a regular expression for `=~`/`!~` (anchored by Alertmanager). */
  value: z.string().describe('Value; an RE2 regular expression for "=~" and "!~", anchored at both ends by Alertmanager.'),
});

/**
 * One matcher, given as `'severity="critical"'` or `{ name: 'severity', op: '=', value: 'critical' }`;
 * parses to a {@link Matcher}.
 */
export const MatcherSchema = z
  .union([z.custom<MatcherString>((v) => typeof v === 'string', { error: 'expected a matcher string such as \'severity="critical"\' or an object { name, op, value }' }), MatcherObjectSchema])
  .transform((input, ctx): Matcher => {
    if (typeof input === 'string') {
      try {
        return parseMatcher(input);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message, input });
        return z.NEVER;
      }
    }
    const problems = matcherProblems(input);
    for (const message of problems) ctx.addIssue({ code: 'custom', message: `matcher ${renderMatcher(input)}: ${message}`, input });
    return problems.length ? z.NEVER : { name: input.name, op: input.op, value: input.value };
  })
  .describe('A label matcher: \'severity="critical"\', \'namespace=~"media|db"\' or { name, op, value }.');

export type MatcherInput = z.input<typeof MatcherSchema>;
