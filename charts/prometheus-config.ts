import { RemoteWrite } from './config';
import { toYaml } from '../lib/render';
import { SecretKeyRef, secretFilePath } from '../lib/validators';
import { ScrapeJob, renderScrapeConfig } from './scrape-jobs';

/** Where Prometheus finds mounted Secret keys: `<dir>/<secret name>/<key>`. */
export const PROMETHEUS_SECRETS_DIR = '/etc/prometheus/secrets';
/** Where rule files are mounted. */
export const PROMETHEUS_RULES_DIR = '/etc/prometheus/rules';

/** Everything `prometheus.yml` is made of. */
export interface PrometheusConfigOptions {
  readonly scrapeInterval: string;
  readonly scrapeTimeout: string;
  readonly evaluationInterval: string;
  readonly externalLabels: Record<string, string>;
  /** Label carrying the replica's identity; dropped from alerts so Alertmanager sees one alert, not one per replica. @default - none (single replica) */
  readonly replicaLabel?: string;
  /** host:port of every Alertmanager replica. */
  readonly alertmanagers: string[];
  readonly jobs: ScrapeJob[];
  /** @default - none */
  readonly remoteWrite?: RemoteWrite[];
  /** @default PROMETHEUS_RULES_DIR */
  readonly rulesDir?: string;
}

/** Renders `prometheus.yml`. Pure: same options, same bytes. */
export function renderPrometheusConfig(o: PrometheusConfigOptions): string {
  // Prometheus 3 expands environment variables in external label values (os.Expand in LoadFile,
  // config/config.go at v3.14.0; "$$" stays "$"), so a user's "$" is doubled to keep it as written.
  // Only the replica label reads one on purpose.
  const userLabels = Object.fromEntries(Object.entries(o.externalLabels).map(([k, v]) => [k, v.replace(/\$/g, '$$$$')]));
  const externalLabels = { ...userLabels, ...(o.replicaLabel ? { [o.replicaLabel]: '${POD_NAME}' } : {}) };
  const doc: Record<string, unknown> = {
    global: {
      scrape_interval: o.scrapeInterval,
      scrape_timeout: o.scrapeTimeout,
      evaluation_interval: o.evaluationInterval,
      ...(Object.keys(externalLabels).length ? { external_labels: sortKeys(externalLabels) } : {}),
    },
    rule_files: [`${o.rulesDir ?? PROMETHEUS_RULES_DIR}/*.yml`],
    alerting: {
      ...(o.replicaLabel ? { alert_relabel_configs: [{ action: 'labeldrop', regex: o.replicaLabel }] } : {}),
      alertmanagers: [{
        // Every replica by name, never a load-balanced Service: each must receive every alert so the
        // cluster can deduplicate and survive the loss of any one replica.
        static_configs: [{ targets: o.alertmanagers }],
        api_version: 'v2',
        timeout: '10s',
      }],
    },
    scrape_configs: o.jobs.map(renderScrapeConfig),
  };
  if (o.remoteWrite?.length) doc.remote_write = o.remoteWrite.map(renderRemoteWrite);
  return toYaml(doc);
}

function renderRemoteWrite(rw: RemoteWrite): Record<string, unknown> {
  const file = (ref: SecretKeyRef) => secretFilePath(PROMETHEUS_SECRETS_DIR, ref);
  return {
    name: rw.name,
    url: rw.url,
    ...(Object.keys(rw.headers).length ? { headers: sortKeys(rw.headers) } : {}),
    ...(rw.basicAuth ? { basic_auth: { username: rw.basicAuth.username, password_file: file(rw.basicAuth.password) } } : {}),
    ...(rw.bearerToken ? { authorization: { type: 'Bearer', credentials_file: file(rw.bearerToken) } } : {}),
  };
}

function sortKeys(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}
