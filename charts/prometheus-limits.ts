import { z } from 'zod';
import { re2SyntaxProblems } from '../lib/re2';

/**
 * The `prometheus` options that bound what Prometheus stores: which series of the infrastructure jobs
 * it keeps (`metricFilter`, `keepMetrics`, charts/prometheus-metric-filter.ts) and the per-target
 * limits of the jobs that scrape what others expose (`scrapeLimits`, overridable per `scrapeTargets[]`).
 */

/** A metric name or an RE2 pattern over metric names (matched against the whole name). */
export const metricNamePattern = z.string().min(1).superRefine((p, ctx) => {
  for (const problem of re2SyntaxProblems(p)) ctx.addIssue({ code: 'custom', message: `is not an RE2 regular expression Prometheus can compile: ${problem}` });
  try {
    new RegExp(p);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `is not a regular expression: ${(e as Error).message}` });
  }
});

const limit = (what: string, dflt: number) => z.number().int().min(0).default(dflt).describe(`${what}; 0 means no limit.`);

/** Limits of one scrape; a scrape over any of them fails whole (`up` is 0, nothing of it is stored). */
export const scrapeLimitsSchema = z.strictObject({
  sampleLimit: limit('Samples one scrape may return (after metric relabelling); a scrape with more fails and `ScrapeLimitExceeded` fires', 10000),
  labelLimit: limit('Labels one series may carry, target labels included', 30),
  labelNameLengthLimit: limit('Characters of a label name', 128),
  labelValueLengthLimit: limit('Characters of a label value', 2048),
});

/** A typed scrape target's own limits: each unset field follows `prometheus.scrapeLimits`. */
export const scrapeTargetLimitsSchema = z.strictObject({
  sampleLimit: z.number().int().min(0).optional().describe('Samples per scrape; 0 means no limit.'),
  labelLimit: z.number().int().min(0).optional().describe('Labels per series; 0 means no limit.'),
  labelNameLengthLimit: z.number().int().min(0).optional().describe('Characters of a label name; 0 means no limit.'),
  labelValueLengthLimit: z.number().int().min(0).optional().describe('Characters of a label value; 0 means no limit.'),
});

/** The fields the `prometheus` section gains. */
export const prometheusSeriesSettings = {
  metricFilter: z.enum(['curated', 'queried', 'none']).default('curated').describe('Which series of the infrastructure jobs (kubelet, cAdvisor, kube-state-metrics, node-exporter) are kept: `curated` drops what no one needs (each drop is justified in its component), `queried` keeps only the metric names the generated rules and dashboards read plus `keepMetrics` and switches off node-exporter collectors that feed none, `none` keeps everything. A name any rule or panel reads survives in every mode.'),
  keepMetrics: z.array(metricNamePattern).default([]).describe('Metric names or RE2 patterns (matched against the whole name, e.g. `container_fs_.+`) kept besides what rules and dashboards read, for ad-hoc exploration: `queried` keeps them, and `curated` drops and collectors spare them.'),
  scrapeLimits: scrapeLimitsSchema.prefault({}).describe('Per-target limits of the annotation-discovered jobs (`kubernetes-pods`, `kubernetes-services`) and of every `scrapeTargets` job (each may override them).'),
};
