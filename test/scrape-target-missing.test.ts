import { describe, expect, it } from 'vitest';
import { stackRulePack } from '../alerts/packs/stack';
import { packAlerts } from '../alerts/rule-pack';
import { scrapeTargetSchema } from '../charts/config';
import { promtoolPackChecks, ruleTestCoverageProblems } from './helpers/promtool-rules';
import { configDoc, synthStack } from './helpers/synth';
import { describeWithTool } from './helpers/tools';

/**
 * A typed scrape target whose selector, namespace or port matches nothing is an empty job: no `up`
 * series at all, which TargetDown (a ratio over `up`) never sees. ScrapeTargetMissing watches each
 * typed target's job. A port number is the endpoint's (the Service's targetPort): EndpointSlice
 * discovery has no Service port number (discovery/kubernetes/endpointslice.go at v3.14.0).
 */
const targets = [
  { name: 'idkarr-api', namespace: 'idkarr', selector: { app: 'idkarr' }, port: 'http' },
  { name: 'idkarr-worker', namespace: 'idkarr', selector: { app: 'worker' }, port: 9464 },
];

const stackAlerts = (objects: ReturnType<typeof synthStack>) => {
  const file = configDoc(objects, 'prometheus-rules-stack', 'stack.yml');
  return file.groups.flatMap((g: any) => g.rules.filter((r: any) => r.alert));
};

describe('ScrapeTargetMissing', () => {
  it('watches every typed target of the stack, by job', () => {
    const rule = stackAlerts(synthStack({ scrapeTargets: targets })).find((r: any) => r.alert === 'ScrapeTargetMissing');
    expect(rule.expr.split(/\s+or\s+/).map((e: string) => e.trim())).toEqual(['absent(up{job="idkarr-api"})', 'absent(up{job="idkarr-worker"})']);
    expect(rule.for).toBe('15m');
    expect(rule.annotations.runbook_url).toMatch(/docs\/runbooks\/ScrapeTargetMissing\.md$/);
  });

  it('is not rendered without typed targets', () => {
    expect(stackAlerts(synthStack()).map((r: any) => r.alert)).not.toContain('ScrapeTargetMissing');
  });

  it('has a firing, a pending and a quiet case', () => {
    expect(ruleTestCoverageProblems(stackRulePack({ scrapeTargetJobs: ['idkarr-api', 'idkarr-worker'] }))).toEqual([]);
    expect(packAlerts(stackRulePack({ scrapeTargetJobs: ['idkarr-api'] })).map((a) => a.name)).toContain('ScrapeTargetMissing');
  });

  it('a numeric port is the pods\' port, and the option says so', () => {
    const worker = configDoc(synthStack({ scrapeTargets: targets }), 'prometheus-config', 'prometheus.yml').scrape_configs.find((j: any) => j.job_name === 'idkarr-worker');
    expect(worker.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_endpointslice_port'], regex: '9464', action: 'keep' });
    const description = scrapeTargetSchema.shape.port.description ?? '';
    expect(description).toMatch(/targetPort/);
    expect(description).toMatch(/ScrapeTargetMissing/);
  });
});

describeWithTool('promtool', 'ScrapeTargetMissing under promtool', (promtool) => {
  promtoolPackChecks(promtool, [stackRulePack({ scrapeTargetJobs: ['idkarr-api'] }), stackRulePack({ scrapeTargetJobs: ['idkarr-api', 'idkarr-worker', 'shop'] })],
    (p) => `stack pack with ${p.groups.flatMap((g) => g.rules).length} rules`);
});
