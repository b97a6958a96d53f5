import { describe, expect, it } from 'vitest';
import { MatcherSchema, matcher, parseMatcher, regexProblem, renderMatcher } from '../alerts/routing/routing-matchers';

describe('parseMatcher / renderMatcher', () => {
  it('parses each operator, quoted or bare, and renders one canonical quoted form', () => {
    expect(parseMatcher('severity="critical"')).toEqual({ name: 'severity', op: '=', value: 'critical' });
    expect(parseMatcher('severity = critical')).toEqual({ name: 'severity', op: '=', value: 'critical' });
    expect(parseMatcher('team!="db"')).toEqual({ name: 'team', op: '!=', value: 'db' });
    expect(parseMatcher('namespace=~"media|db"')).toEqual({ name: 'namespace', op: '=~', value: 'media|db' });
    expect(parseMatcher('job!~"kube-.*"')).toEqual({ name: 'job', op: '!~', value: 'kube-.*' });
    expect(renderMatcher(parseMatcher('severity = critical'))).toBe('severity="critical"');
  });

  it('reads escapes the way Alertmanager does and writes them back escaped', () => {
    const m = parseMatcher('msg="say \\"hi\\" to c:\\\\temp"');
    expect(m.value).toBe('say "hi" to c:\\temp');
    expect(renderMatcher(m)).toBe('msg="say \\"hi\\" to c:\\\\temp"');
    // An unknown escape such as \. is kept (classic parser) and rendered as an escaped backslash.
    const re = parseMatcher('instance=~"10\\.0\\..*"');
    expect(re.value).toBe('10\\.0\\..*');
    expect(renderMatcher(re)).toBe('instance=~"10\\\\.0\\\\..*"');
    expect(parseMatcher(renderMatcher(re))).toEqual(re);
  });

  it('an empty value matches a missing label', () => {
    expect(renderMatcher(parseMatcher('team=""'))).toBe('team=""');
  });

  it('rejects what Alertmanager would reject, with a corrected example', () => {
    expect(() => parseMatcher('severity')).toThrow('matcher \'severity\' does not parse: write name, operator (= != =~ !~) and a quoted value, e.g. \'severity="critical"\'');
    expect(() => parseMatcher('9lives="x"')).toThrow('label name "9lives" is not valid');
    expect(() => parseMatcher('a="b"c"')).toThrow('unescaped double quote');
    expect(() => matcher('job', '=~', '[')).toThrow('regular expression "[" does not compile');
  });
});

describe('regexProblem (RE2 as Alertmanager compiles it)', () => {
  it('accepts RE2 syntax JavaScript spells differently', () => {
    expect(regexProblem('(?i)critical|warning')).toBeUndefined();
    expect(regexProblem('(?P<env>prod|staging)-.*')).toBeUndefined();
    expect(regexProblem('(?i:db)-[0-9]+')).toBeUndefined();
  });

  it('rejects what RE2 lacks', () => {
    expect(regexProblem('(?=x)y')).toContain('look-ahead');
    expect(regexProblem('(?<!x)y')).toContain('look-behind');
    expect(regexProblem('(a)\\1')).toContain('back-references');
    expect(regexProblem('(unclosed')).toBeDefined();
  });
});

describe('MatcherSchema', () => {
  it('takes a string or an object (op defaults to "=") and yields the same parsed matcher', () => {
    expect(MatcherSchema.parse('severity="critical"')).toEqual({ name: 'severity', op: '=', value: 'critical' });
    expect(MatcherSchema.parse({ name: 'severity', value: 'critical' })).toEqual({ name: 'severity', op: '=', value: 'critical' });
  });

  it('reports object-form problems with the rendered matcher', () => {
    const r = MatcherSchema.safeParse({ name: 'bad-name', op: '=~', value: '(' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([
      'matcher bad-name=~"(": label name "bad-name" is not valid: use letters, digits and "_", not starting with a digit',
      expect.stringContaining('matcher bad-name=~"(": regular expression "(" does not compile'),
    ]);
  });
});
