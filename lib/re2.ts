/**
 * Checks for regular expressions that a Go program compiles with `regexp` (RE2 syntax): Loki's
 * stream selectors, Prometheus' and Alertmanager's matchers, the log agents' stages. JavaScript
 * accepts constructs RE2 refuses, so a pattern that passes `new RegExp` here may keep the program from
 * starting; these checks follow Go's regexp/syntax (parse.go at Go 1.25: no lookaround, no
 * backreference, no possessive or atomic group, repeat counts at most 1000, `\Z` unknown) and say
 * what to write instead.
 */

/** The largest repeat count RE2 accepts (`maxRepeat` in Go's regexp/syntax/parse.go). */
export const RE2_MAX_REPEAT = 1000;

/** Inline flags Go's regexp/syntax knows: `i`, `m`, `s`, `U`. */
const GO_FLAGS = /^[imsU]*(-[imsU]*)?$/;

/**
 * Problems that keep `pattern` from compiling with Go's `regexp`, or from meaning there what it means
 * in JavaScript; empty when it is fine. Each names the construct and its position.
 */
export function re2SyntaxProblems(pattern: string): string[] {
  const problems: string[] = [];
  let inClass = false;
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const rest = pattern.slice(i);
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (next === '') problems.push(`trailing backslash at ${i}`);
      else if (/[1-9]/.test(next)) problems.push(`backreference \\${next} at ${i}: RE2 has none`);
      else if (next === 'k' && pattern[i + 2] === '<') problems.push(`named backreference at ${i}: RE2 has none`);
      else if (next === 'Z') problems.push(`\\Z at ${i}: RE2 does not know it; write \\z (end of text) or $`);
      else if (next === 'Q') {
        // \Q…\E is literal text in RE2.
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
        continue;
      } else if (!inClass && /[GXRKhHvVcu]/.test(next)) problems.push(`escape \\${next} at ${i}: RE2 does not know it`);
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) i = end + 1;
        continue;
      }
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a literal "]" first in a class
      continue;
    }
    if (c === '(') {
      depth++;
      if (/^\(\?<?[=!]/.test(rest)) problems.push(`lookaround at ${i}: RE2 has none; match the wanted values instead (e.g. a negative matcher !~ instead of (?!…))`);
      else if (rest.startsWith('(?>')) problems.push(`atomic group at ${i}: RE2 has none`);
      else if (rest.startsWith('(?#')) problems.push(`comment group at ${i}: RE2 has none`);
      else if (/^\(\?P?<[A-Za-z_][A-Za-z0-9_]*>/.test(rest) || rest.startsWith('(?:')) { /* groups RE2 knows */ } else if (rest.startsWith('(?')) {
        const m = /^\(\?([^:)]*)[:)]/.exec(rest);
        if (!m || !GO_FLAGS.test(m[1])) problems.push(`group ${rest.slice(0, (m?.[0].length ?? 3))} at ${i}: RE2 knows only the flags i, m, s and U`);
        if (m) {
          if (rest[m[0].length - 1] === ')') depth--; // a flag group such as (?i) closes at once
          i += m[0].length - 1;
        }
      }
      continue;
    }
    if (c === ')') {
      if (depth === 0) problems.push(`unmatched ")" at ${i}`);
      else depth--;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
      if (m) {
        const counts = [m[1], m[3]].filter((n): n is string => n !== undefined && n !== '').map(Number);
        if (counts.some((n) => n > RE2_MAX_REPEAT)) problems.push(`repeat count ${m[0]} at ${i}: RE2 allows at most ${RE2_MAX_REPEAT}`);
        if (counts.length === 2 && counts[0] > counts[1]) problems.push(`repeat count ${m[0]} at ${i}: minimum above maximum`);
        i += m[0].length - 1;
        if (pattern[i + 1] === '+') problems.push(`possessive quantifier at ${i + 1}: RE2 has none`);
      }
      continue;
    }
    if (/[*+?]/.test(c) && pattern[i + 1] === '+') problems.push(`possessive quantifier at ${i}: RE2 has none`);
  }
  if (inClass) problems.push('unterminated character class');
  if (depth > 0) problems.push('unterminated group');
  return problems;
}

/**
 * The JavaScript RegExp source equivalent of an RE2 pattern for whether and what it matches, for
 * patterns that passed {@link re2SyntaxProblems}: inline flags are dropped (they change case, `.` and
 * line anchors, none of which decides whether the empty string matches), `(?P<n>` becomes `(?<n>`,
 * `\A`/`\z` become `^`/`$` and `\Q…\E` is escaped.
 */
function jsSource(pattern: string): { source: string; flags: string } {
  let flags = '';
  let source = pattern.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1].includes('i')) flags += 'i';
    if (lead[1].includes('s')) flags += 's';
    source = source.slice(lead[0].length);
  }
  source = source
    .replace(/\(\?[imsU]*(?:-[imsU]*)?\)/g, '')
    .replace(/\(\?[imsU]*(?:-[imsU]*)?:/g, '(?:')
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  return { source, flags };
}

/**
 * Whether an RE2 pattern, anchored at both ends as Prometheus and Loki anchor label matchers, matches
 * the empty string. Undefined when the pattern is not valid RE2 (report {@link re2SyntaxProblems}).
 */
export function re2MatchesEmpty(pattern: string): boolean | undefined {
  if (re2SyntaxProblems(pattern).length) return undefined;
  const { source, flags } = jsSource(pattern);
  try {
    return new RegExp(`^(?:${source})$`, flags).test('');
  } catch {
    return undefined;
  }
}

/** An anchored JavaScript RegExp matching what the RE2 pattern matches, or undefined when it is not valid RE2. */
export function re2ToAnchoredJs(pattern: string): RegExp | undefined {
  if (re2SyntaxProblems(pattern).length) return undefined;
  const { source, flags } = jsSource(pattern);
  try {
    return new RegExp(`^(?:${source})$`, flags);
  } catch {
    return undefined;
  }
}
