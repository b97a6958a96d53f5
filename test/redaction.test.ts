import { describe, expect, it } from 'vitest';
import { REDACTED_FIELDS, REDACTION_MARK, applyRedaction, re2Problems, redactionRules } from '../lib/redaction';

/**
 * The redaction rules run in JavaScript here with the replace stage's algorithm (every capture group
 * of every match). JavaScript and RE2 agree on these expressions because re2Problems() admits only
 * the shared subset: no lookarounds, backreferences, atomic groups, possessive quantifiers or
 * non-portable escapes. (One difference remains and does not matter here: JavaScript's `\s` also
 * matches Unicode spaces.)
 */

/** Sample lines as the seed apps write them, and what must reach Loki. */
const SAMPLES: Array<{ what: string; before: string; after: string }> = [
  {
    what: 'pino (idkarr) with the fields of its own redact list',
    before: '{"level":"info","timestamp":"2026-08-01T10:00:00.000Z","service":"idkarr","msg":"login","password":"hunter2","apiKey":"sk_live_123","req":{"headers":{"authorization":"Bearer eyJhbGciOi.x.y","cookie":"sid=abc; theme=dark","x-api-key":"k-999"}}}',
    after: '{"level":"info","timestamp":"2026-08-01T10:00:00.000Z","service":"idkarr","msg":"login","password":"[REDACTED]","apiKey":"[REDACTED]","req":{"headers":{"authorization":"[REDACTED]","cookie":"[REDACTED]","x-api-key":"[REDACTED]"}}}',
  },
  {
    what: 'winston (MediaNest): passwordHash and a token, correlation ids untouched',
    before: '{"timestamp":"2025-09-06T18:16:05.564Z","level":"info","service":"medianest-backend","correlationId":"req-abc123","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","userId":"user-123","message":"User login successful","passwordHash":"$2b$10$N9qo8uLOickgx2ZMRZoMye","metadata":{"plexToken":"xyz-987","statusCode":200}}',
    after: '{"timestamp":"2025-09-06T18:16:05.564Z","level":"info","service":"medianest-backend","correlationId":"req-abc123","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","userId":"user-123","message":"User login successful","passwordHash":"[REDACTED]","metadata":{"plexToken":"[REDACTED]","statusCode":200}}',
  },
  {
    what: 'python JSON formatter (Barbossa) with snake_case secrets',
    before: '{"timestamp": "2026-08-01T10:00:00Z", "level": "WARNING", "logger": "app.github", "message": "rate limited", "request_id": "r-1", "api_key": "ghp_abc", "client_secret": "s3cr3t"}',
    after: '{"timestamp": "2026-08-01T10:00:00Z", "level": "WARNING", "logger": "app.github", "message": "rate limited", "request_id": "r-1", "api_key": "[REDACTED]", "client_secret": "[REDACTED]"}',
  },
  {
    what: 'an escaped quote inside a secret value',
    before: '{"token":"ab\\"cd","n":1}',
    after: '{"token":"[REDACTED]","n":1}',
  },
  {
    what: 'a request body logged as a JSON string',
    before: '{"level":"debug","msg":"body={\\"email\\":\\"a@b.c\\",\\"password\\":\\"hunter2\\"}"}',
    after: '{"level":"debug","msg":"body={\\"email\\":\\"a@b.c\\",\\"password\\":\\"[REDACTED]\\"}"}',
  },
  {
    what: 'key=value text (logfmt)',
    before: 'level=info msg="login ok" user=bob password=hunter2 token=abc123 DB_PASSWORD=pg-pass',
    after: 'level=info msg="login ok" user=bob password=[REDACTED] token=[REDACTED] DB_PASSWORD=[REDACTED]',
  },
  {
    what: 'HTTP headers in text, keeping the auth scheme',
    before: 'upstream request failed Authorization: Bearer eyJhbGciOi X-Api-Key: k-999',
    after: 'upstream request failed Authorization: Bearer [REDACTED] X-Api-Key: [REDACTED]',
  },
  {
    what: 'a cookie jar: every pair, not only the first',
    before: 'Cookie: sid=abc; csrf=def; theme=dark',
    after: 'Cookie: [REDACTED]',
  },
  {
    what: 'a query string, keeping the other parameters',
    before: 'GET /callback?apiKey=abc123&page=2 200',
    after: 'GET /callback?apiKey=[REDACTED]&page=2 200',
  },
  {
    what: 'a secret inside a free-text JSON message',
    before: '{"level":"error","msg":"retry with token=abc123 failed"}',
    after: '{"level":"error","msg":"retry with token=[REDACTED] failed"}',
  },
];

/** Lines without secrets: must come out byte-for-byte as they went in. */
const CLEAN = [
  '{"level":"info","service":"canvascast-api","traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","msg":"Request completed","status":200,"duration":12}',
  '{"level":"info","tokenCount":42,"passwordResetEnabled":true,"msg":"reset password link sent"}',
  'GET /api/tokens/123 200 4ms',
  '2026-08-01 10:00:00 | INFO     | app.main | Starting worker',
];

describe('redaction rules', () => {
  const rules = redactionRules();

  it('use only RE2 syntax, each with exactly one capture group', () => {
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const r of rules) expect(re2Problems(r.expression), r.name).toEqual([]);
  });

  it('cover every field of the seed list, in any case and separator style', () => {
    for (const field of REDACTED_FIELDS) {
      for (const key of [field, field.toUpperCase(), `my_${field}`]) {
        expect(applyRedaction(`{"${key}":"s3cret-value"}`), key).toBe(`{"${key}":"${REDACTION_MARK}"}`);
        expect(applyRedaction(`${key}=s3cret-value rest=kept`), key).toBe(`${key}=${REDACTION_MARK} rest=kept`);
      }
    }
  });

  for (const s of SAMPLES) {
    it(`redact ${s.what}`, () => {
      expect(applyRedaction(s.before, rules)).toBe(s.after);
    });
  }

  it('keep JSON lines valid JSON', () => {
    for (const s of SAMPLES.filter((x) => x.before.startsWith('{'))) expect(() => JSON.parse(applyRedaction(s.before)), s.what).not.toThrow();
  });

  it('leave lines without secrets untouched', () => {
    for (const line of CLEAN) expect(applyRedaction(line)).toBe(line);
  });

  it('are idempotent', () => {
    for (const s of SAMPLES) expect(applyRedaction(s.after)).toBe(s.after);
  });

  it('take extra field names from the configuration', () => {
    const extra = redactionRules(['ssn', 'ibanNumber']);
    expect(applyRedaction('{"ssn":"078-05-1120","iban_number":"DE89370400440532013000"}', extra)).toBe('{"ssn":"[REDACTED]","iban_number":"[REDACTED]"}');
    expect(applyRedaction('{"ssn":"078-05-1120"}', rules)).toBe('{"ssn":"078-05-1120"}');
  });

  it('reject an extra field name that is not a plain name', () => {
    expect(() => redactionRules(['pass(word'])).toThrow(/redaction field "pass\(word": expected a field name/);
  });
});

describe('RE2 syntax check', () => {
  it.each([
    ['(?=x)(a)', /lookaround/],
    ['(?<!x)(a)', /lookaround/],
    ['(a)\\1', /backreference/],
    ['(?<v>a)', /named group/],
    ['(?>a)(b)', /atomic group/],
    ['(a++)', /possessive/],
    ['a(?i)(b)', /inline flag/],
    ['(a)(b)', /exactly one capture group/],
    ['[(]a', /exactly one capture group/],
    ['\\p{L}(a)', /not portable/],
  ])('rejects %s', (expression, problem) => {
    expect(re2Problems(expression).join('; ')).toMatch(problem);
  });

  it('accepts a leading (?i), non-capturing groups and escaped parentheses', () => {
    expect(re2Problems('(?i)(?:a|\\()[)(]("[^"]*")')).toEqual([]);
  });
});
