import { ComponentName, selectorLabels } from '../lib/labels';

/**
 * Scrape jobs as data. Every job the stack renders is one of these shapes; `renderScrapeConfig`
 * turns it into a Prometheus `scrape_configs` entry. Keeping jobs as data (rather than YAML
 * snippets) is what lets the same job be pointed at loopback addresses in the end-to-end test.
 */

/** One relabelling rule (`relabel_configs` / `metric_relabel_configs` entry). */
export type RelabelConfig = Record<string, unknown>;

/**
 * Series a component declares that no one needs: metric names (an RE2 regex matched against the whole
 * name), optionally only where labels match. With `prometheus.metricFilter: 'curated'` each becomes a
 * `drop` rule in `metric_relabel_configs`; a name that a rule or panel reads is exempted, so a drop
 * never takes data from a query (charts/prometheus-metric-filter.ts).
 */
export interface MetricDrop {
  /** RE2 over the whole metric name, e.g. `rest_client_.+`. */
  readonly names: string;
  /** Drop only the series whose labels match these RE2 regexes (all of them). @default - every series of the names */
  readonly where?: Readonly<Record<string, string>>;
  /** Why no rule, panel or person needs these series. */
  readonly reason: string;
}

/**
 * Per-target limits: a scrape that exceeds one fails as a whole (the target is `up == 0` and nothing it
 * exposed is stored), so one target cannot flood Prometheus. `0` means no limit. Keys as in
 * `ScrapeConfig` of config/config.go at v3.14.0 (`sample_limit`, `label_limit`,
 * `label_name_length_limit`, `label_value_length_limit`).
 */
export interface ScrapeLimits {
  /** Samples per scrape, after metric relabelling. */
  readonly sampleLimit?: number;
  /** Labels per series, target labels included. */
  readonly labelLimit?: number;
  /** Characters of a label name. */
  readonly labelNameLengthLimit?: number;
  /** Characters of a label value. */
  readonly labelValueLengthLimit?: number;
}

/** What every job that scrapes an exporter may carry besides its discovery. */
interface SeriesControls {
  /**
   * The component's curated drops; declaring them (even none) marks the job as an infrastructure job,
   * which `prometheus.metricFilter` filters. @default - not filtered
   */
  readonly metricDrops?: readonly MetricDrop[];
  /** `metric_relabel_configs`, rendered as given (the stack fills it from `metricDrops` and the keep list). @default - none */
  readonly metricRelabel?: readonly RelabelConfig[];
  /** @default - no limits */
  readonly limits?: ScrapeLimits;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Scrape the endpoints of Services picked by labels in one namespace, through EndpointSlices. */
export interface ServiceScrapeJob extends SeriesControls {
  readonly kind: 'service';
  readonly job: string;
  readonly namespace: string;
  /** Service labels that must all match. */
  readonly selector: Record<string, string>;
  /** Only the Service with this name (so a StatefulSet's headless twin is not scraped twice). @default - any Service matching the selector */
  readonly serviceName?: string;
  /**
   * The port on each endpoint: the Service port's name, or the endpoint (pod) port number, which is
   * the Service's `targetPort`, not its `port`. EndpointSlice discovery labels each target with
   * `__meta_kubernetes_endpointslice_port_name` (the Service port's name, copied into the slice) and
   * `__meta_kubernetes_endpointslice_port` (the endpoint's port); the Service port number is not among
   * its labels (discovery/kubernetes/endpointslice.go and service.go at v3.14.0: only the `service`
   * role has `__meta_kubernetes_service_port_number`, and it scrapes the load-balanced ClusterIP).
   */
  readonly port: string | number;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** @default - the global scrape interval */
  readonly interval?: string;
  /** Keep the target's own `namespace`/`pod` labels (kube-state-metrics). @default false */
  readonly honorLabels?: boolean;
  /** Staleness markers for series the target sends with explicit timestamps. @default false */
  readonly trackTimestampsStaleness?: boolean;
  /** Copy the Service's `app.kubernetes.io/instance` label into this label (one exporter per database). @default - none */
  readonly instanceLabel?: string;
  /** Static labels added to every series. @default - none */
  readonly labels?: Record<string, string>;
}

/** Probe one URL through blackbox-exporter. */
export interface ProbeJob {
  readonly kind: 'probe';
  readonly job: string;
  readonly check: string;
  readonly url: string;
  readonly module: string;
  readonly interval: string;
  readonly timeout: string;
  /** host:port of blackbox-exporter. */
  readonly prober: string;
  /** @default - none */
  readonly labels?: Record<string, string>;
}

/** Kubelet endpoints on every node (`/metrics` or `/metrics/cadvisor`). */
export interface KubeletJob extends SeriesControls {
  readonly kind: 'kubelet';
  readonly job: string;
  readonly path: string;
  /**
   * Staleness markers for series that carry their own timestamps (cAdvisor): without them the series
   * of a deleted container stay queryable for the 5-minute lookback. @default false
   */
  readonly trackTimestampsStaleness?: boolean;
}

/** Pods or Services that opt in with `prometheus.io/*` annotations. */
export interface AnnotationJob extends SeriesControls {
  readonly kind: 'annotations';
  readonly job: string;
  readonly role: 'pod' | 'service';
}

/** Fixed `host:port` targets: machines outside the cluster, or the loopback run of the end-to-end test. */
export interface StaticScrapeJob extends SeriesControls {
  readonly kind: 'static';
  readonly job: string;
  /** Target groups: addresses and the labels they carry. */
  readonly groups: ReadonlyArray<{ readonly targets: string[]; readonly labels?: Record<string, string> }>;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default 'http' */
  readonly scheme?: 'http' | 'https';
  /** @default - the global scrape interval */
  readonly interval?: string;
  /** @default false */
  readonly honorLabels?: boolean;
}

export type ScrapeJob = ServiceScrapeJob | ProbeJob | KubeletJob | AnnotationJob | StaticScrapeJob;

/** Prometheus' meta label for a Kubernetes label or annotation name. */
export function metaLabel(prefix: string, name: string): string {
  return `${prefix}${name.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

export function renderScrapeConfig(job: ScrapeJob): Record<string, unknown> {
  switch (job.kind) {
    case 'service': return withSeriesControls(renderServiceJob(job), job);
    case 'probe': return renderProbeJob(job);
    case 'kubelet': return withSeriesControls(renderKubeletJob(job), job);
    case 'annotations': return withSeriesControls(job.role === 'pod' ? renderPodAnnotationJob(job) : renderServiceAnnotationJob(job), job);
    case 'static': return withSeriesControls(renderStaticJob(job), job);
  }
}

/** Adds `metric_relabel_configs` and the limits (a limit of 0 is Prometheus' "none" and is left out). */
function withSeriesControls(rendered: Record<string, unknown>, job: SeriesControls): Record<string, unknown> {
  const l = job.limits ?? {};
  const limit = (key: string, v: number | undefined) => (v ? { [key]: v } : {});
  return {
    ...rendered,
    ...limit('sample_limit', l.sampleLimit),
    ...limit('label_limit', l.labelLimit),
    ...limit('label_name_length_limit', l.labelNameLengthLimit),
    ...limit('label_value_length_limit', l.labelValueLengthLimit),
    ...(job.metricRelabel?.length ? { metric_relabel_configs: job.metricRelabel } : {}),
  };
}

/** namespace/service/pod/node target labels, the same on every discovered job. */
const TARGET_LABELS: RelabelConfig[] = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
];

function renderServiceJob(job: ServiceScrapeJob): Record<string, unknown> {
  const selector = Object.entries(job.selector).sort(([a], [b]) => a.localeCompare(b));
  // By number: the endpoint port (the Service's targetPort). By name: the Service port's name.
  const portKeep: RelabelConfig = typeof job.port === 'number'
    ? { source_labels: ['__meta_kubernetes_endpointslice_port'], regex: String(job.port), action: 'keep' }
    : { source_labels: ['__meta_kubernetes_endpointslice_port_name'], regex: job.port, action: 'keep' };
  const relabel: RelabelConfig[] = [
    {
      source_labels: selector.map(([k]) => metaLabel('__meta_kubernetes_service_label_', k)),
      regex: selector.map(([, v]) => escapeRegex(v)).join(';'),
      action: 'keep',
    },
    ...(job.serviceName ? [{ source_labels: ['__meta_kubernetes_service_name'], regex: escapeRegex(job.serviceName), action: 'keep' }] : []),
    portKeep,
    ...TARGET_LABELS,
    ...(job.instanceLabel ? [{ source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'], target_label: job.instanceLabel }] : []),
    ...Object.entries(job.labels ?? {}).map(([k, v]) => ({ target_label: k, replacement: v })),
  ];
  return {
    ...targetJobFields(job),
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [job.namespace] } }],
    relabel_configs: relabel,
  };
}

/** The fields a discovered job and its static (loopback) twin share. */
function targetJobFields(job: ServiceScrapeJob | StaticScrapeJob): Record<string, unknown> {
  return {
    job_name: job.job,
    ...(job.interval ? { scrape_interval: job.interval } : {}),
    ...(job.honorLabels ? { honor_labels: true } : {}),
    ...('trackTimestampsStaleness' in job && job.trackTimestampsStaleness ? { track_timestamps_staleness: true } : {}),
    metrics_path: job.path ?? '/metrics',
    scheme: job.scheme ?? 'http',
  };
}

function renderStaticJob(job: StaticScrapeJob): Record<string, unknown> {
  return {
    ...targetJobFields(job),
    static_configs: job.groups.map((g) => ({ targets: g.targets, ...(g.labels && Object.keys(g.labels).length ? { labels: g.labels } : {}) })),
  };
}

function renderProbeJob(job: ProbeJob): Record<string, unknown> {
  return {
    job_name: job.job,
    scrape_interval: job.interval,
    scrape_timeout: job.timeout,
    metrics_path: '/probe',
    params: { module: [job.module] },
    static_configs: [{ targets: [job.url], labels: { check: job.check, ...job.labels } }],
    relabel_configs: [
      // The target is the URL to probe; blackbox-exporter is the address actually scraped.
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: job.prober },
    ],
  };
}

function renderKubeletJob(job: KubeletJob): Record<string, unknown> {
  return {
    job_name: job.job,
    scheme: 'https',
    metrics_path: job.path,
    // Kubelet serving certificates are self-signed on most clusters (kind, k3d, kubeadm defaults);
    // the connection is still authenticated with the ServiceAccount token.
    tls_config: { ca_file: `${SA_DIR}/ca.crt`, insecure_skip_verify: true },
    authorization: { credentials_file: `${SA_DIR}/token` },
    // `track_timestamps_staleness` (config/config.go at v3.14.0): cAdvisor sends explicit timestamps,
    // which get no staleness marker when a series ends, so a replaced container would be counted
    // beside its successor for up to 5 minutes. Its timestamps stay honoured (honor_timestamps).
    ...(job.trackTimestampsStaleness ? { track_timestamps_staleness: true } : {}),
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' },
      { source_labels: ['__meta_kubernetes_node_name'], target_label: 'instance' },
    ],
  };
}

/** Shared by the pod and service annotation jobs: path, scheme, and never our own components twice. */
function annotationRelabel(object: 'pod' | 'service'): RelabelConfig[] {
  const a = (name: string) => metaLabel(`__meta_kubernetes_${object}_annotation_`, name);
  return [
    { source_labels: [a('prometheus.io/scrape')], regex: 'true', action: 'keep' },
    // The stack's own components have dedicated jobs; do not scrape them twice.
    { source_labels: [metaLabel(`__meta_kubernetes_${object}_label_`, 'app.kubernetes.io/part-of')], regex: 'vigil', action: 'drop' },
    { source_labels: [a('prometheus.io/scheme')], regex: '(https?)', target_label: '__scheme__' },
    { source_labels: [a('prometheus.io/path')], regex: '(.+)', target_label: '__metrics_path__' },
  ];
}

/**
 * What an annotated target that sends no (or an unknown) Content-Type is parsed as. Prometheus v3
 * otherwise fails the scrape ("non-compliant scrape target sending blank Content-Type and no
 * fallback_scrape_protocol", model/textparse/interface.go at v3.14.0); such targets are the ones
 * written by hand, which serve the classic text format. Values: `ScrapeProtocol` in config/config.go.
 */
const ANNOTATION_FALLBACK_PROTOCOL = 'PrometheusText0.0.4';

function renderPodAnnotationJob(job: AnnotationJob): Record<string, unknown> {
  return {
    job_name: job.job,
    fallback_scrape_protocol: ANNOTATION_FALLBACK_PROTOCOL,
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      ...annotationRelabel('pod'),
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed', action: 'drop' },
      {
        source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
        regex: '(\\d+);([0-9.]+)',
        replacement: '$2:$1',
        target_label: '__address__',
      },
      ...TARGET_LABELS.filter((r) => r.target_label !== 'service'),
    ],
  };
}

function renderServiceAnnotationJob(job: AnnotationJob): Record<string, unknown> {
  return {
    job_name: job.job,
    fallback_scrape_protocol: ANNOTATION_FALLBACK_PROTOCOL,
    kubernetes_sd_configs: [{ role: 'endpointslice' }],
    relabel_configs: [
      ...annotationRelabel('service'),
      {
        source_labels: ['__address__', '__meta_kubernetes_service_annotation_prometheus_io_port'],
        regex: '(.+?)(?::\\d+)?;(\\d+)',
        replacement: '$1:$2',
        target_label: '__address__',
      },
      ...TARGET_LABELS,
    ],
  };
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A job that scrapes one of the stack's own components by its Service labels and port name. */
export function componentJob(component: ComponentName, namespace: string, port: string, extra: Partial<ServiceScrapeJob> = {}): ServiceScrapeJob {
  return { kind: 'service', job: component, namespace, selector: selectorLabels(component), port, serviceName: extra.instanceLabel ? undefined : component, ...extra };
}
