import { describe, expect, it } from 'vitest';
import { REDACTED_FIELDS, REDACTION_MARK, applyRedaction, re2Problems, redactionRules } from '../lib/redaction';
import { CLEAN, SAMPLES } from './fixtures/redaction-samples';

/**
 * The redaction rules run in JavaScript here with the replace stage's algorithm (every capture group
 * of every match). JavaScript and RE2 agree on these expressions because re2Problems() admits only
 * the shared subset: no lookarounds, backreferences, atomic groups, possessive quantifiers or
 * non-portable escapes. (One difference remains and does not matter here: JavaScript's `\s` also
 * matches Unicode spaces.)
 */

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
