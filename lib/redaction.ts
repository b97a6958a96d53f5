/**
 * Secret redaction for the node log agents, defined once as data and rendered into both Promtail
 * `replace` stages and Alloy `stage.replace` blocks. Redaction happens on the node, before a line is
 * parsed or sent, so neither the stored line nor any label or structured metadata carries the secret.
 *
 * The expressions are RE2 (Go's `regexp`, which both agents use): no lookarounds, no backreferences.
 * Each has exactly one capture group, the secret value, because a `replace` stage replaces every
 * capture group of every match with the replacement.
 */

/**
 * Field names whose values never leave the node: the `redact` paths of the idkarr logging guide
 * (pino), which the other seed apps share. A field matches when its name contains one of these,
 * ignoring case and `-`/`_`/`.` between words, so `dbPassword`, `client_secret`, `X-Auth-Token` and
 * `refresh_token` are covered too.
 */
export const REDACTED_FIELDS = ['password', 'passwordHash', 'apiKey', 'token', 'secret', 'authorization', 'cookie', 'x-api-key'] as const;

/** Fields whose value is a `;`-separated list of secrets (a cookie jar), redacted to the end of the list. */
const LIST_VALUED_FIELDS = ['cookie'];

/** What replaces a secret: pino's censor, so a line reads the same whether the app or the agent redacted it. */
export const REDACTION_MARK = '[REDACTED]';

/** One replace stage. */
export interface RedactionRule {
  /** Short name, used in comments of the rendered configuration. */
  readonly name: string;
  /** What it catches. */
  readonly description: string;
  /** RE2 expression with exactly one capture group: the value to replace. */
  readonly expression: string;
  /** What replaces the value. @default {@link REDACTION_MARK} */
  readonly replacement?: string;
}

/**
 * A field name accepted in {@link redactionRules}' extra list: a name, or a pino-style path
 * (`user.ssn`, `req.headers["x-auth"]` is not accepted) whose last segment is the name matched.
 */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;

/**
 * The JSON keys the agents' own pipeline reads (lib/log-pipeline.ts JSON_FIELDS), which an extra
 * redaction field must not name: a redacted `trace_id` or `level` breaks the labels and metadata.
 */
export const PIPELINE_FIELDS = ['level', 'severity', 'levelname', 'traceId', 'trace_id', 'traceID', 'spanId', 'span_id', 'requestId', 'request_id', 'correlationId', 'correlation_id', 'service', 'stream'] as const;

/** What an extra field matches: the last segment of a pino path (`user.ssn` → `ssn`), since the rules see keys, not paths. */
export function extraFieldKey(field: string): string {
  return field.slice(field.lastIndexOf('.') + 1);
}

/** Why an extra redaction field cannot be used, or undefined. */
export function extraFieldProblem(field: string): string | undefined {
  if (!FIELD_NAME.test(field)) return 'expected a field name such as "apiSecret", or a pino path such as "user.ssn" (letters, digits, "_" and "-", segments joined by ".")';
  const key = squash(extraFieldKey(field));
  const read = PIPELINE_FIELDS.find((f) => squash(f) === key);
  if (read) return `the log agents read "${read}" themselves (level, trace and request ids, service, stream): redacting it would break the labels and structured metadata; log the secret under another name`;
  return undefined;
}

const squash = (f: string) => f.toLowerCase().replace(/[-_.]/g, '');

/**
 * The redaction rules for the built-in field list plus `extraFields`, in the order the stages run.
 * A built-in name matches any key that contains it (`dbPassword`, `client_secret`); an extra name
 * matches whole keys only, in any case and `-`/`_` style, so `name` leaves `levelname` alone and
 * `id` leaves `trace_id` alone. A pino path matches its last segment at any depth.
 * @param extraFields more field names to redact (`logs.redactFields`), e.g. `["ssn", "user.iban"]`.
 */
export function redactionRules(extraFields: readonly string[] = []): RedactionRule[] {
  for (const f of extraFields) {
    const problem = extraFieldProblem(f);
    if (problem) throw new Error(`redaction field "${f}": ${problem}`);
  }
  const words = fieldWords([...REDACTED_FIELDS]);
  const builtinSquashed = REDACTED_FIELDS.map(squash);
  // An extra name that contains a built-in one is already covered.
  const extras = [...new Set(extraFields.map((f) => squash(extraFieldKey(f))))]
    .filter((k) => !builtinSquashed.some((b) => k.includes(b)))
    .map((k) => wordPattern(extraFields.map(extraFieldKey).find((f) => squash(f) === k)!));
  const any = `(?:${words.join('|')})`;
  const whole = extras.length ? `(?:${extras.join('|')})` : undefined;
  // A JSON key (between quotes): containing a built-in name, or exactly an extra name.
  const jsonKey = whole ? `(?:[^"\\\\]*${any}[^"\\\\]*|${whole})` : `[^"\\\\]*${any}[^"\\\\]*`;
  const jsonKeyEnd = whole ? `(?:[^"\\\\]*${any}|${whole})` : `[^"\\\\]*${any}`;
  // A text key (key=value, Header: value): a word containing a built-in name, or an extra name
  // standing alone or as the last segment of a dotted name (`user.ssn=`), never the tail of a longer
  // word (`levelname=`, `request-id:`).
  const textKey = whole ? `(?:\\b[\\w.-]*${any}[\\w.-]*|(?:^|[^\\w.-])(?:[\\w-]+\\.)*${whole})` : `\\b[\\w.-]*${any}[\\w.-]*`;
  const listWords = fieldWords(LIST_VALUED_FIELDS);
  // Value classes stop at a backslash as well as at a quote: inside a JSON string a quote is written
  // \", and a value that swallowed the backslash would leave the quote unescaped (invalid JSON) and
  // the rest of the secret in the line.
  return [
    {
      name: 'json-fields',
      description: 'a JSON string value whose key names a secret: "password":"…"',
      expression: `(?i)"${jsonKey}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`,
    },
    {
      name: 'json-numbers',
      description: 'a JSON number whose key ends with a secret\'s name: "pin": 1234, "password": 123456 (becomes a string, so the line stays JSON)',
      expression: `(?i)"${jsonKeyEnd}"\\s*:\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)`,
      replacement: `"${REDACTION_MARK}"`,
    },
    {
      name: 'escaped-json-fields',
      description: 'the same inside a JSON-encoded string, e.g. a logged request body: \\"password\\":\\"…\\"',
      expression: `(?i)\\\\"${jsonKey}\\\\"\\s*:\\s*\\\\"([^"\\\\]*)\\\\"`,
    },
    {
      name: 'cookie-lists',
      description: 'a whole cookie list in text, not just its first pair: Cookie: a=1; b=2',
      expression: `(?i)\\b(?:${listWords.join('|')})\\s*[=:]\\s*((?:[^\\s",;\\\\]+;\\s*)+[^\\s",;\\\\]+)`,
    },
    {
      name: 'quoted-text-fields',
      // The closing quote ends a logfmt pair (a space or the end follows), so a JSON value that merely
      // ends with "token:" never pairs its closing quote with the next key's opening one.
      description: 'a quoted key=value (logfmt, slog): password="…", token="a b"',
      expression: `(?i)${textKey}\\s*[=:]\\s*"((?:[^"\\\\]|\\\\.)*)"(?:\\s|$)`,
    },
    {
      name: 'escaped-quoted-text-fields',
      description: 'the same inside a JSON string, where the quotes are escaped: {"msg":"secret: \\"…\\""}',
      expression: `(?i)${textKey}\\s*[=:]\\s*\\\\"([^"\\\\]*)\\\\"`,
    },
    {
      name: 'text-fields',
      description: 'key=value and "Header: value" text, with an optional auth scheme: password=…, Authorization: Bearer …, ?apiKey=…',
      expression: `(?i)${textKey}\\s*[=:]\\s*(?:(?:bearer|basic|digest|token)\\s+)?([^\\s&",;\\\\]+)`,
    },
  ];
}

/** The RE2 fragment matching a field name's words with optional separators: `apiKey` → `api[-_.]?key`. */
function wordPattern(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
    .join('[-_.]?');
}

/** Word patterns of the fields, without those another field already covers (`passwordHash` contains `password`). */
function fieldWords(fields: readonly string[]): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const f of fields) {
    const s = squash(f);
    if (seen.has(s)) continue;
    seen.add(s);
    if (fields.some((g) => squash(g) !== s && s.includes(squash(g)))) continue;
    words.push(wordPattern(f));
  }
  return words;
}

/**
 * Problems that keep `expression` from meaning the same in RE2 as in JavaScript, or from working as
 * a replace-stage expression: lookarounds, backreferences, atomic groups, possessive quantifiers,
 * named or extra capture groups, inline flags other than a leading `(?i)`, escapes RE2 lacks.
 * Empty when the expression is fine.
 */
export function re2Problems(expression: string): string[] {
  const problems: string[] = [];
  const body = expression.startsWith('(?i)') ? expression.slice(4) : expression;
  let captures = 0;
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    const rest = body.slice(i);
    if (c === '\\') {
      const next = body[i + 1] ?? '';
      if (/[1-9]/.test(next)) problems.push(`backreference \\${next} at ${i}`);
      else if (next === 'k') problems.push(`named backreference at ${i}`);
      else if (/[cuxp]/i.test(next)) problems.push(`escape \\${next} at ${i} is not portable between JavaScript and RE2`);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (body[i + 1] === ']') i++; // a literal "]" first in a class
      continue;
    }
    if (c === '(') {
      if (rest.startsWith('(?:')) continue;
      if (/^\(\?<?[=!]/.test(rest)) problems.push(`lookaround at ${i}: RE2 has none`);
      else if (rest.startsWith('(?>')) problems.push(`atomic group at ${i}: RE2 has none`);
      else if (/^\(\?P?</.test(rest)) problems.push(`named group at ${i}: use one plain group for the value`);
      else if (rest.startsWith('(?')) problems.push(`inline flag group at ${i}: only a leading (?i) is allowed`);
      else captures++;
      continue;
    }
    if (/[*+?}]/.test(c) && body[i + 1] === '+') problems.push(`possessive quantifier at ${i}: RE2 has none`);
  }
  if (inClass) problems.push('unterminated character class');
  if (captures !== 1) problems.push(`expected exactly one capture group (the value to replace), found ${captures}`);
  return problems;
}

/** A JavaScript RegExp equivalent of an RE2 expression that passed {@link re2Problems}. */
export function toJsRegExp(expression: string, extraFlags = ''): RegExp {
  const problems = re2Problems(expression);
  if (problems.length) throw new Error(`expression ${expression} is not portable RE2: ${problems.join('; ')}`);
  const insensitive = expression.startsWith('(?i)');
  return new RegExp(insensitive ? expression.slice(4) : expression, (insensitive ? 'i' : '') + extraFlags);
}

/**
 * What the agents' replace stage does to a line, in JavaScript: every capture group of every match
 * is replaced with {@link REDACTION_MARK}, non-overlapping, left to right (the algorithm of
 * Promtail's and Alloy's `replace` stage). Used to test the rules against sample lines.
 */
export function applyRedaction(line: string, rules: readonly RedactionRule[] = redactionRules()): string {
  return rules.reduce((input, rule) => {
    let result = '';
    let previousEnd = 0;
    for (const m of input.matchAll(toJsRegExp(rule.expression, 'gd'))) {
      for (const span of m.indices!.slice(1)) {
        if (!span) continue;
        if (previousEnd === 0 || previousEnd <= span[0]) {
          result += input.slice(previousEnd, span[0]) + (rule.replacement ?? REDACTION_MARK);
          previousEnd = span[1];
        }
      }
    }
    return result + input.slice(previousEnd);
  }, line);
}
