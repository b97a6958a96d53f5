import { REDACTED_FIELDS, RedactionRule, REDACTION_MARK, extraFieldKey, redactionRules } from './redaction';

/**
 * The node agents' redaction rules in the form the collector's `replace_pattern` (OTTL) takes. A
 * replace stage replaces only the capture group (the secret value); `replace_pattern` replaces the
 * whole match, with `$1`-style references to groups (opentelemetry-collector-contrib v0.158.0
 * pkg/ottl/ottlfuncs/func_replace_pattern.go, regexp.Expand). So the value group becomes
 * non-capturing and what precedes and follows it become groups 1 and 2, written back around the mark:
 * the same text is replaced, by the same Go regexp.
 */
export interface OttlRedaction {
  readonly name: string;
  /** RE2: `(?i)(prefix)(?:value)(suffix)`. */
  readonly pattern: string;
  /** Go regexp.Expand template: `${1}[REDACTED]${2}`. */
  readonly replacement: string;
}

/** `PREFIX(VALUE)SUFFIX` → `(PREFIX)(?:VALUE)(SUFFIX)`, keeping a leading `(?i)`. */
export function splitValueGroup(expression: string): { flags: string; prefix: string; value: string; suffix: string } {
  const flags = expression.startsWith('(?i)') ? '(?i)' : '';
  const body = expression.slice(flags.length);
  let inClass = false;
  let open = -1;
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; if (body[i + 1] === ']') i++; continue; }
    if (c === '(') {
      if (open < 0 && body[i + 1] !== '?') { open = i; depth = 0; }
      if (open >= 0) depth++;
      continue;
    }
    if (c === ')' && open >= 0) {
      depth--;
      if (depth === 0) return { flags, prefix: body.slice(0, open), value: body.slice(open + 1, i), suffix: body.slice(i + 1) };
    }
  }
  throw new Error(`expression ${expression} has no capture group`);
}

/** The redaction rules (built-in and `extraFields`) as `replace_pattern` arguments. */
export function ottlRedactions(extraFields: readonly string[] = []): OttlRedaction[] {
  return redactionRules(extraFields).map((r: RedactionRule) => {
    const { flags, prefix, value, suffix } = splitValueGroup(r.expression);
    return { name: r.name, pattern: `${flags}(${prefix})(?:${value})(${suffix})`, replacement: `\${1}${r.replacement ?? REDACTION_MARK}\${2}` };
  });
}

/** What `replace_pattern` does to a string, in JavaScript (every match, left to right), for tests. */
export function applyOttlRedactions(line: string, redactions: readonly OttlRedaction[]): string {
  return redactions.reduce((text, r) => {
    const insensitive = r.pattern.startsWith('(?i)');
    const re = new RegExp(insensitive ? r.pattern.slice(4) : r.pattern, insensitive ? 'gi' : 'g');
    return text.replace(re, (_m, p1: string, p2: string) => r.replacement.replace('${1}', () => p1).replace('${2}', () => p2));
  }, line);
}

/**
 * An anchored RE2 pattern for attribute names that name a secret, as the rules match keys: containing
 * a built-in name in any `-`/`_`/`.` style, or exactly an extra name.
 */
export function redactedKeyPattern(extraFields: readonly string[] = []): string {
  const words = (fields: readonly string[]) => fields.map((f) => f.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_.-]+/).filter(Boolean).map((w) => w.toLowerCase()).join('[-_.]?'));
  const builtin = words([...REDACTED_FIELDS]);
  const extras = words([...new Set(extraFields.map(extraFieldKey))]);
  return `(?i)^(?:.*(?:${builtin.join('|')}).*${extras.length ? `|${extras.join('|')}` : ''})$`;
}
