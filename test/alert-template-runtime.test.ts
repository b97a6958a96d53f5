import { describe, expect, it } from 'vitest';
import { alertRule, AlertRuleProps } from '../alerts/rule';
import { ruleGroup } from '../alerts/rule-group';
import { formatRuleIssue, ruleIssues } from '../alerts/validate';
import { promqlResultLabels } from '../lib/promql';
import { templateIssues } from '../lib/template';

/**
 * Templates that pass a syntax check and break when the alert fires: the value in a label (the alert's
 * identity changes every evaluation, so with a `for` it never fires), a lower-case field of the
 * template data (`.labels.instance`), and a label the expression's result cannot have.
 */
const base: AlertRuleProps = {
  name: 'QueueDeep', expr: 'sum by (queue) (queue_depth) > 100', for: '10m', severity: 'warning',
  summary: 'Queue is deep.', description: 'Queue {{ $labels.queue }} has {{ $value }} jobs.',
};
const issues = (props: Partial<AlertRuleProps>) => ruleIssues([{ name: 'app', groups: [ruleGroup({ name: 'app.alerts', rules: [alertRule({ ...base, ...props })] })] }]).map(formatRuleIssue);

describe('templates that break at run time', () => {
  it('accepts the well-formed alert', () => expect(issues({})).toEqual([]));

  it('refuses $value in a label', () => {
    expect(issues({ labels: { depth: '{{ $value }}' } })).toEqual([expect.stringMatching(/labels\.depth: the value \(\{\{ \$value \}\}\) in a label changes the alert's identity/)]);
    expect(issues({ labels: { depth: '{{ .Value | humanize }}' } })).toHaveLength(1);
  });

  it('refuses fields the template data does not have', () => {
    expect(templateIssues('{{ .labels.instance }}')).toEqual([expect.stringMatching(/"\.labels\.instance" is not in Prometheus' alert template data .*: write \$labels\.instance/)]);
    expect(templateIssues('{{ .Labels.instance }} {{ .Value }} {{ .ExternalURL }}')).toEqual([]);
    expect(templateIssues('{{ with $labels }}{{ .instance }}{{ end }}')).toEqual([]);
    expect(templateIssues('{{ range query "up" }}{{ .Labels.job }} {{ .Value }}{{ end }}')).toEqual([]);
  });

  it('refuses a label the expression cannot yield, with the closest one', () => {
    expect(issues({ description: 'Queue {{ $labels.queu }} is deep.' })).toEqual([expect.stringMatching(/description: \{\{ \$labels\.queu \}\} is always empty: the expression's result has only the labels queue; did you mean \$labels\.queue\?/)]);
    expect(issues({ summary: '{{ $labels.instance }} is deep.' })).toEqual([expect.stringMatching(/summary: \{\{ \$labels\.instance \}\} is always empty: .* Add instance to the expression's by \(\.\.\.\) clause/)]);
    // A bare selector's series keep all their labels: nothing to check.
    expect(issues({ expr: 'queue_depth > 100', summary: '{{ $labels.instance }} is deep.' })).toEqual([]);
  });

  it('derives result labels from by, on/group_left, label_replace, absent and vector', () => {
    const labels = (e: string) => { const s = promqlResultLabels(e); return s && [...s].sort(); };
    expect(labels('sum by (job, instance) (rate(x_total[5m])) > 1')).toEqual(['instance', 'job']);
    expect(labels('sum by (job) (x) / on (job) group_left (team) team_info')).toEqual(['job', 'team']);
    expect(labels('label_replace(sum by (a) (x), "b", "$1", "a", "(.*)")')).toEqual(['a', 'b']);
    expect(labels('absent(up{job="api"})')).toEqual(['job']);
    expect(labels('vector(1)')).toEqual([]);
    expect(labels('up == 0')).toBeUndefined();
  });
});
