import { describe, expect, it } from 'vitest';
import { templateIssues } from '../lib/template';

describe('alert annotation templates', () => {
  const good = [
    'Error rate is {{ $value | humanizePercentage }}',
    '{{ $labels.instance }} of job {{ $labels.job }} is down.',
    'P95 latency is {{ $value | humanizeDuration }}',
    'Memory usage is {{ $value | humanize1024 }}B',
    '{{ printf "%.2f" $value }} requests per second',
    '{{ if gt $value 1.0 }}above{{ else }}below{{ end }} one',
    '{{- $labels.job -}}',
    '{{ with $labels.namespace }}namespace {{ . }}{{ end }}',
    '{{ range $i, $e := query "up" }}{{ $e.Labels.job }}{{ end }}',
    '{{ $labels.instance | stripPort }} in {{ $externalLabels.cluster }}',
    'A closing brace inside a string: {{ "}}" }}',
    'No template at all.',
  ];
  for (const t of good) it(`accepts ${JSON.stringify(t)}`, () => expect(templateIssues(t)).toEqual([]));

  const bad: Array<[string, RegExp]> = [
    ['{{ $labels.instance } down', /never closed/],
    ['{ $labels.instance }} down', /without a matching "\{\{"/],
    ['value is $value', /outside \{\{ \}\} is printed literally/],
    ['{{ $lables.instance }}', /unknown variable \$lables; did you mean \$labels/],
    ['{{ $value | humanizePercentge }}', /unknown function "humanizePercentge"; did you mean "humanizePercentage"/],
    ['{{ $value | $labels }}', /after "\|" write a function/],
    ['{{ $value | }}', /ends with "\|"/],
    ['{{ if $value }}open', /\{\{ if \}\} is not closed/],
    ['{{ end }}', /without an open/],
    ['{{ }}', /empty action/],
    ['{{ $value.x }}', /\$value has no fields/],
    ['{{ printf "%s" (humanize $value }}', /unmatched "\("/],
    ['{{ template "x" }}', /not supported/],
  ];
  for (const [t, message] of bad) {
    it(`rejects ${JSON.stringify(t)}`, () => {
      const issues = templateIssues(t);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.join('\n')).toMatch(message);
    });
  }
});
