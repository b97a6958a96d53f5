import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { RoutingConfigSchema, parseRoutingConfig, renderAlertmanagerConfig } from '../alerts/routing/alertmanager-config';
import { MatcherSchema, renderMatcher } from '../alerts/routing/routing-matchers';
import { alertRulesOf, stackRoutingWarnings } from '../alerts/routing/routing-warnings';
import { isKnownLocation, renderTimeInterval } from '../alerts/routing/time-intervals';
import { parseGoTemplate } from '../lib/go-template';
import { run } from './helpers/run';
import { describeWithPinned } from './helpers/tools';

/**
 * Routing inputs that used to synthesize and then break Alertmanager or never match: regexes RE2
 * refuses, time zones in the wrong case, matchers whose quotes Alertmanager reads differently,
 * templates Go's parser refuses or that execute an undefined template; and the routing warnings,
 * which synth now prints. Each refused case is checked against the pinned amtool too.
 */

const refuses = (input: unknown) => !RoutingConfigSchema.safeParse(input).success;
const messageOf = (input: unknown) => {
  const r = RoutingConfigSchema.safeParse(input);
  return r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
};
const routeOn = (matcher: unknown) => ({ route: { routes: [{ matchers: [matcher], receiver: 'default' }] } });

// Regexes JavaScript compiles and RE2 (Go's regexp/syntax) refuses.
const RE2_REFUSED = ['caf\\u00e9', 'a{1001}', 'db\\Z', 'a{2,1001}'];
const RE2_ACCEPTED = ['caf\\x{e9}', 'a{1000}', 'db\\z', 'media|db', '(?i)critical'];

// Matchers as strings: what Alertmanager would read differently from what was meant.
const MATCHERS_REFUSED: Array<[string, RegExp]> = [
  ["severity='critical'", /does not read ' as a quote.*severity="critical"/],
  ['team="ops', /opens a double quote it never closes/],
  ['team="ops"x', /text after its closing double quote/],
  ['team=my team', /may not contain spaces/],
];

const TIME_ZONES_REFUSED = ['europe/berlin', 'utc', 'EUROPE/BERLIN', 'us/eastern', 'Mars/Olympus'];
const TIME_ZONES_ACCEPTED = ['Europe/Berlin', 'UTC', 'Local', 'America/New_York', 'US/Eastern', 'Etc/UTC'];

describe('regular expressions follow RE2 (item: regexes Alertmanager refuses)', () => {
  for (const re of RE2_REFUSED) {
    it(`refuses =~"${re}" in the string and the object form`, () => {
      expect(messageOf(routeOn(`a=~"${re}"`))).toMatch(/RE2/);
      expect(messageOf(routeOn({ name: 'a', op: '=~', value: re }))).toMatch(/RE2/);
    });
  }
  for (const re of RE2_ACCEPTED) it(`accepts =~"${re}"`, () => expect(refuses(routeOn(`a=~"${re}"`))).toBe(false));
});

describe('matchers are read as Alertmanager reads them', () => {
  for (const [text, message] of MATCHERS_REFUSED) {
    it(`refuses ${text}`, () => expect(messageOf(routeOn(text))).toMatch(message));
  }

  it('keeps double-quoted values with escapes, and bare words', () => {
    expect(MatcherSchema.parse('team="o\\"ps"')).toEqual({ name: 'team', op: '=', value: 'o"ps' });
    expect(MatcherSchema.parse('namespace=~media|db')).toEqual({ name: 'namespace', op: '=~', value: 'media|db' });
  });

  it('judges a 32-character value the same in both forms: a matcher value is no PagerDuty key', () => {
    const value = '0123456789abcdef0123456789abcdef';
    expect(refuses(routeOn(`fingerprint="${value}"`))).toBe(false);
    expect(refuses(routeOn({ name: 'fingerprint', value }))).toBe(false);
  });

  it('a webhook URL in a matcher is still refused in both forms, without repeating it', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/Vigil7Qx9secret';
    for (const m of [`x="${url}"`, { name: 'x', value: url }]) {
      const message = messageOf(routeOn(m));
      expect(message).toMatch(/inline secret \(a Slack webhook URL\)/);
      expect(message).not.toContain('Vigil7Qx9secret');
    }
  });
});

describe('time zones are spelt as the IANA database spells them', () => {
  for (const tz of TIME_ZONES_REFUSED) it(`refuses "${tz}"`, () => expect(isKnownLocation(tz)).toBe(false));
  for (const tz of TIME_ZONES_ACCEPTED) it(`accepts "${tz}"`, () => expect(isKnownLocation(tz)).toBe(true));

  it('names the right spelling', () => {
    expect(messageOf({ timeIntervals: [{ name: 'nights', intervals: [{ location: 'europe/berlin' }] }] })).toContain('write "Europe/Berlin"');
  });
});

describe('templates are parsed at synth (Go text/template)', () => {
  const FUNCS = ['toUpper', 'join'];
  const PARSE_REFUSED: Array<[string, RegExp]> = [
    ['{{ define "vigil.title" }}[{{ .Status }}]', /\{\{define\}\} is never closed/],
    ['{{ .Status', /unclosed action/],
    ['{{ end }}', /unexpected \{\{end\}\}/],
    ['{{ if .Alerts }}x{{ else }}y{{ else }}z{{ end }}', /already has an else/],
    ['{{ toupper .Status }}', /function "toupper" not defined; did you mean "toUpper"/],
    ['{{ $x }}', /undefined variable "\$x"/],
    ['{{ .A | }}', /missing value for command/],
    ['{{ (len .Alerts }}', /unclosed left paren/],
    ['{{ "abc }}', /unterminated quoted string/],
    ['{{ range .Alerts }}{{ end }}{{ break }}', /\{\{break\}\} outside \{\{range\}\}/],
    ['{{ if .A }}{{ define "x" }}{{ end }}{{ end }}', /templates are defined at the top level only/],
  ];
  for (const [text, problem] of PARSE_REFUSED) {
    it(`refuses ${JSON.stringify(text)}`, () => expect(parseGoTemplate(text, FUNCS).problems.join('\n')).toMatch(problem));
  }

  const PARSE_ACCEPTED = [
    '{{ define "a" }}{{ range $i, $a := .Alerts }}{{ $i }} {{ $a.Labels.alertname | toUpper }}{{ end }}{{ end }}',
    '{{- if eq .Status "firing" -}}x{{ else if .CommonLabels.severity }}y{{ else }}z{{ end -}}',
    '{{/* a comment with }} inside */}}{{ "}}" }}{{ `raw {{` }}',
    '{{ with $s := .Status }}{{ $s }}{{ else with .X }}{{ end }}',
    '{{ len (index .Alerts 0).Labels }} {{ printf "%d" 3 }} {{ join ", " .GroupLabels.Values }}',
    '{{ block "b" . }}x{{ end }}{{ template "b" . }}',
  ];
  for (const text of PARSE_ACCEPTED) it(`accepts ${JSON.stringify(text)}`, () => expect(parseGoTemplate(text, FUNCS).problems).toEqual([]));

  it('an unclosed define in a template file fails synth naming the file', () => {
    expect(messageOf({ templates: { 'vigil.tmpl': '{{ define "vigil.title" }}[{{ .Status }}]' } })).toMatch(/^templates\.vigil\.tmpl: template file vigil\.tmpl: line 1: \{\{define\}\} is never closed/);
  });

  it('a Slack title with an unclosed action, or executing a template defined nowhere, fails synth naming the field', () => {
    const slack = (title: string) => ({ receivers: [{ name: 'default', slack: [{ apiUrl: { name: 's', key: 'url' }, channel: '#a', title }] }] });
    expect(messageOf(slack('{{ .Status '))).toMatch(/receivers\.0\.slack\.0\.title: template: line 1: unclosed action/);
    expect(messageOf(slack('{{ template "vigil.title" . }}'))).toMatch(/receivers\.0\.slack\.0\.title: template: \{\{ template "vigil\.title" \}\} names a template defined nowhere \(defined in routing\.templates: none/);
    expect(refuses({ ...slack('{{ template "vigil.title" . }}'), templates: { 'vigil.tmpl': '{{ define "vigil.title" }}x{{ end }}' } })).toBe(false);
    expect(refuses(slack('{{ template "slack.default.title" . }}'))).toBe(false);
  });
});

describe('routing warnings (docs/routing.md, "What synth checks") are computed for the stack', () => {
  const rules = alertRulesOf([YAML.stringify({ groups: [{ name: 'g', rules: [
    { alert: 'ApiDown', expr: 'up{job="api"} == 0', labels: { severity: 'critical' } },
    { alert: 'Errors', expr: 'sum by (service) (rate(errors_total[5m])) > 1', labels: { severity: 'warning', team: 'web' } },
  ] }] })]);

  it('a route on a misspelt label and an unused receiver are reported with their paths', () => {
    const routing = parseRoutingConfig({
      receivers: [{ name: 'default', discard: true }, { name: 'pager', discard: true }, { name: 'unused', discard: true }],
      route: { routes: [{ matchers: ['severty="critical"'], receiver: 'pager' }, { matchers: ['owner="me"'], receiver: 'pager' }] },
    });
    const warnings = stackRoutingWarnings(routing, rules);
    expect(warnings).toContainEqual(expect.stringMatching(/^alertmanager\.routing\.route\.routes\[0\]\.matchers\[0\]: matcher severty="critical" is on label "severty", which no alert carries, so it never matches/));
    expect(warnings).toContainEqual('alertmanager.routing.receivers[2]: receiver "unused" is not used by any route');
    // Some alert passes its series' labels through, so "owner" may exist: only near misses are reported.
    expect(warnings.some((w) => w.includes('"owner"'))).toBe(false);
  });

  it('with every alert closed over its labels, any unknown label is reported', () => {
    const closed = rules.filter((r) => r.alert === 'Errors');
    const routing = parseRoutingConfig({ receivers: [{ name: 'default', discard: true }], route: { routes: [{ matchers: ['owner="me"'] }, { matchers: ['service="api"', 'team="web"'] }] } });
    expect(stackRoutingWarnings(routing, closed, ['cluster'])).toEqual([expect.stringMatching(/route\.routes\[0\]\.matchers\[0\]: matcher owner="me" is on label "owner"/)]);
  });
});

describeWithPinned(['amtool'], 'the pinned amtool agrees with the routing checks', ({ amtool }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-routing-edges-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const amtoolAccepts = (doc: Record<string, unknown>, templates: Record<string, string> = {}): boolean => {
    const base = join(dir, String(n++));
    for (const [name, text] of Object.entries(templates)) writeFileSync(`${base}-${name}`, text);
    writeFileSync(`${base}.yml`, YAML.stringify({ ...doc, ...(Object.keys(templates).length ? { templates: Object.keys(templates).map((t) => `${base}-${t}`) } : {}) }));
    return run(amtool, ['check-config', `${base}.yml`]).status === 0;
  };
  const withMatcher = (m: string) => ({ route: { receiver: 'null', routes: [{ receiver: 'null', matchers: [m] }] }, receivers: [{ name: 'null' }] });

  for (const re of [...RE2_REFUSED, ...RE2_ACCEPTED]) {
    // What synth would write for the regex, were it not refused: the canonical quoted form.
    const ours = !refuses(routeOn({ name: 'a', op: '=~', value: re }));
    it(`=~"${re}": amtool ${ours ? 'accepts' : 'refuses'} it too`, () => expect(amtoolAccepts(withMatcher(renderMatcher({ name: 'a', op: '=~', value: re })))).toBe(ours));
  }

  for (const tz of [...TIME_ZONES_REFUSED, ...TIME_ZONES_ACCEPTED]) {
    it(`location "${tz}": amtool ${isKnownLocation(tz) ? 'accepts' : 'refuses'} it too`, () => {
      const doc = {
        route: { receiver: 'null', routes: [{ receiver: 'null', matchers: ['a="b"'], mute_time_intervals: ['t'] }] },
        receivers: [{ name: 'null' }],
        time_intervals: [renderTimeInterval({ name: 't', intervals: [{ location: tz }] })],
      };
      expect(amtoolAccepts(doc)).toBe(isKnownLocation(tz));
    });
  }

  it("what our matcher parser refuses, Alertmanager reads as another value: severity='critical' keeps its quotes", () => {
    // amtool accepts the file (the classic parser keeps the quotes), and the rendered canonical form of
    // the value Alertmanager would read is not severity="critical".
    expect(amtoolAccepts(withMatcher("severity='critical'"))).toBe(true);
    expect(renderMatcher({ name: 'severity', op: '=', value: "'critical'" })).not.toBe('severity="critical"');
  });

  it('a template file with an unclosed define is refused by amtool too; a fixed one is accepted', () => {
    const doc = withMatcher('a="b"');
    expect(amtoolAccepts(doc, { 'bad.tmpl': '{{ define "vigil.title" }}[{{ .Status }}]' })).toBe(false);
    expect(amtoolAccepts(doc, { 'good.tmpl': '{{ define "vigil.title" }}[{{ .Status }}]{{ end }}' })).toBe(true);
  });

  it('amtool template render: what synth accepts renders; an undefined template or function fails as synth says', () => {
    const routing = parseRoutingConfig({
      templates: { 'vigil.tmpl': '{{ define "vigil.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}\n{{ define "vigil.text" }}{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}{{ end }}' },
      receivers: [{ name: 'default', slack: [{ apiUrl: { name: 's', key: 'url' }, channel: '#a', title: '{{ template "vigil.title" . }}', text: '{{ template "vigil.text" . }}' }] }],
    });
    const rendered = renderAlertmanagerConfig(routing);
    const file = join(dir, 'vigil.tmpl');
    writeFileSync(file, rendered.templateFiles['vigil.tmpl']);
    const render = (text: string) => run(amtool, ['template', 'render', `--template.glob=${file}`, `--template.text=${text}`]);
    const slack = (YAML.parse(rendered.yaml).receivers[0].slack_configs[0]) as { title: string; text: string };
    for (const text of [slack.title, slack.text]) expect(render(text).status, render(text).output).toBe(0);
    expect(render('{{ template "vigil.missing" . }}').output).toMatch(/template "vigil.missing" not defined/);
    expect(refuses({ ...routing, receivers: [{ name: 'default', slack: [{ apiUrl: { name: 's', key: 'url' }, channel: '#a', title: '{{ template "vigil.missing" . }}' }] }] })).toBe(true);
    expect(render('{{ toupper .Status }}').output).toMatch(/function "toupper" not defined/);
  });
});
