import { toYaml } from '../lib/render';
import { PipelineStage, RELABEL_RULES, RelabelRule } from './log-agent-pipeline';

/** Promtail's HTTP port (metrics, readiness). */
export const PROMTAIL_PORT = 3101;

/** Options of {@link renderPromtailConfig}. */
export interface PromtailConfigOptions {
  /** Loki's push URL. */
  readonly lokiPushUrl: string;
  /** The positions file, on a host directory so it survives the pod. */
  readonly positionsFile: string;
  /** The processing pipeline ({@link logPipeline}). */
  readonly pipeline: readonly PipelineStage[];
}

/**
 * promtail.yaml: Kubernetes pod discovery (Promtail limits it to the pods of its own node through
 * the `HOSTNAME` variable), the shared relabelling and pipeline, one client pushing to Loki.
 */
export function renderPromtailConfig(o: PromtailConfigOptions): string {
  return toYaml({
    server: { http_listen_port: PROMTAIL_PORT, grpc_listen_port: 0, log_level: 'info' },
    positions: { filename: o.positionsFile },
    clients: [{ url: o.lokiPushUrl }],
    scrape_configs: [{
      job_name: 'kubernetes-pods',
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: RELABEL_RULES.map(promtailRelabel),
      pipeline_stages: o.pipeline.map(promtailStage),
    }],
  });
}

function promtailRelabel(r: RelabelRule): Record<string, unknown> {
  return {
    source_labels: r.sourceLabels,
    ...(r.separator ? { separator: r.separator } : {}),
    ...(r.regex ? { regex: r.regex } : {}),
    target_label: r.targetLabel,
    ...(r.replacement ? { replacement: r.replacement } : {}),
  };
}

/** A map of names to null: Promtail's "same name" shorthand (`level:`). */
const sameNames = (names: readonly string[]) => Object.fromEntries(names.map((n) => [n, null]));

function promtailStage(s: PipelineStage): Record<string, unknown> {
  switch (s.kind) {
    case 'cri': return { cri: {} };
    case 'replace': return { replace: { expression: s.rule.expression, replace: s.replace } };
    case 'json': return { json: { expressions: s.expressions } };
    case 'template': return { template: { source: s.source, template: s.template } };
    case 'labels': return { labels: sameNames(s.names) };
    case 'structuredMetadata': return { structured_metadata: sameNames(s.names) };
    case 'labelDrop': return { labeldrop: s.names };
  }
}
