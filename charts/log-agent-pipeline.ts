import { StackConfig } from './config';
import { JSON_FIELDS, LOG_LEVELS, STRUCTURED_METADATA, UNKNOWN_LEVEL } from '../lib/log-pipeline';
import { REDACTION_MARK, RedactionRule, redactionRules } from '../lib/redaction';

/**
 * The log agents' discovery relabelling and processing pipeline as data. Promtail (YAML) and Alloy
 * (its own syntax) render the same steps, so switching agents changes neither labels nor redaction.
 */

/** Where the kubelet keeps container logs, one directory per pod: `<namespace>_<pod>_<uid>/<container>/N.log`. */
export const POD_LOGS_DIR = '/var/log/pods';

/** A Prometheus-style relabel rule applied to each discovered pod container. */
export interface RelabelRule {
  readonly sourceLabels: readonly string[];
  readonly targetLabel: string;
  /** @default ';' */
  readonly separator?: string;
  /** @default '(.*)' */
  readonly regex?: string;
  /** @default '$1' */
  readonly replacement?: string;
}

/**
 * Pod metadata to labels. `app` takes the first of the `app.kubernetes.io/name` label, the `app`
 * label, the owning controller's name without its ReplicaSet hash, and the pod name; `pod` and
 * `node_name` are moved to structured metadata by the pipeline. `__path__` selects the container's
 * log files: by pod UID, or by config hash for a static pod.
 */
export const RELABEL_RULES: readonly RelabelRule[] = [
  { sourceLabels: ['__meta_kubernetes_pod_controller_name'], regex: '([0-9a-z-.]+?)(-[0-9a-f]{8,10})?', targetLabel: '__tmp_controller_name' },
  {
    sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app', '__tmp_controller_name', '__meta_kubernetes_pod_name'],
    regex: '^;*([^;]+)(;.*)?$',
    targetLabel: 'app',
  },
  { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
  { sourceLabels: ['__meta_kubernetes_pod_container_name'], targetLabel: 'container' },
  { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
  { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node_name' },
  { sourceLabels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'], separator: '/', targetLabel: '__path__', replacement: `${POD_LOGS_DIR}/*$1/*.log` },
  // A static pod (kubeadm's API server, etcd, scheduler, controller manager) is known to the API as a
  // mirror pod with a UID of its own, while the kubelet names its log directory after the pod's
  // config hash, which the mirror carries in its kubernetes.io/config.mirror annotation (the rule of
  // grafana/loki v3.6.11 operator/hack/addons_dev.yaml, job kubernetes-pods-static). Only a pod with
  // the annotation matches; every other pod keeps the UID path.
  { sourceLabels: ['__meta_kubernetes_pod_annotation_kubernetes_io_config_mirror', '__meta_kubernetes_pod_container_name'], separator: '/', regex: '([^/]+/.+)', targetLabel: '__path__', replacement: `${POD_LOGS_DIR}/*$1/*.log` },
];

/** One processing step; each agent renders it in its own syntax. */
export type PipelineStage =
  | { readonly kind: 'cri' }
  | { readonly kind: 'replace'; readonly rule: RedactionRule; readonly replace: string }
  | { readonly kind: 'json'; readonly expressions: Readonly<Record<string, string>> }
  | { readonly kind: 'template'; readonly source: string; readonly template: string }
  | { readonly kind: 'labels'; readonly names: readonly string[] }
  | { readonly kind: 'structuredMetadata'; readonly names: readonly string[] }
  | { readonly kind: 'labelDrop'; readonly names: readonly string[] };

/**
 * The pipeline, in order: parse the CRI line, redact secrets (before anything is extracted, so no
 * label or metadata can carry one), read the JSON fields, normalise `level`, route lines an app marks
 * with an allowed `stream` value, set the labels, move ids and pod names into structured metadata,
 * and drop the per-file `filename` label.
 */
export function logPipeline(settings: StackConfig['logs']): PipelineStage[] {
  const routesStreams = settings.streams.length > 0;
  const expressions = Object.fromEntries(Object.entries(JSON_FIELDS).filter(([name]) => routesStreams || name !== 'log_stream'));
  return [
    { kind: 'cri' },
    ...redactionRules(settings.redactFields).map((rule) => ({ kind: 'replace' as const, rule, replace: rule.replacement ?? REDACTION_MARK })),
    { kind: 'json', expressions },
    { kind: 'template', source: 'level', template: levelTemplate() },
    ...(routesStreams ? [{ kind: 'template' as const, source: 'stream', template: streamTemplate(settings.streams) }] : []),
    // `stream` is already a label (set by the CRI parser); it is set again only when an app may rename it.
    { kind: 'labels', names: routesStreams ? ['level', 'stream'] : ['level'] },
    { kind: 'structuredMetadata', names: STRUCTURED_METADATA },
    { kind: 'labelDrop', names: ['filename'] },
  ];
}

/** Go template mapping the app's level spelling to a canonical level; empty (no label) when there is none. */
function levelTemplate(): string {
  const branches = Object.entries(LOG_LEVELS).map(([level, spellings], i) => `{{ ${i ? 'else if' : 'if'} eq $l ${spellings.map((s) => `"${s}"`).join(' ')} }}${level}`);
  return `{{ if .Value }}{{ $l := ToLower .Value }}${branches.join('')}{{ else }}${UNKNOWN_LEVEL}{{ end }}{{ end }}`;
}

/**
 * Go template keeping the runtime stream unless the app named one of the allowed streams. A line the
 * CRI parser could not read has no runtime stream: `.Value` is then absent and would print as
 * `<no value>`, so each branch prints it only when it is set. An empty result removes the value, and
 * the labels stage then sets no `stream` label (Promtail v3.6.11 clients/pkg/logentry/stages/template.go:
 * "If the template evaluates to an empty string, remove the key from the map"; Alloy's
 * loki.process stage.template does the same).
 */
export function streamTemplate(streams: readonly string[]): string {
  const runtime = '{{ if .Value }}{{ .Value }}{{ end }}';
  return `{{ if .log_stream }}{{ if eq .log_stream ${streams.map((s) => `"${s}"`).join(' ')} }}{{ .log_stream }}{{ else }}${runtime}{{ end }}{{ else }}${runtime}{{ end }}`;
}
