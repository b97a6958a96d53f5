import { StackConfig } from './config';
import { toYaml } from '../lib/render';
import { bytesOf } from '../lib/validators';
import { OTLP_LOG_LABELS, OTLP_LOG_RESOURCE_LABELS } from './otel-collector-config';

/** Loki's HTTP port: push, query, OTLP (`/otlp`), metrics and health. */
export const LOKI_PORT = 3100;
/** Loki's gRPC port (in-process traffic of the single binary; not exposed). */
export const LOKI_GRPC_PORT = 9095;
/** Everything Loki writes lives under this path, on the volume. */
export const LOKI_DATA_DIR = '/var/loki';
/** Ruler rule files: `<dir>/<tenant>/<file>`. */
export const LOKI_RULES_DIR = '/etc/loki/rules';
/** The tenant of a single-tenant Loki (`auth_enabled: false`); its rules live in a directory of that name. */
export const LOKI_TENANT = 'fake';
/**
 * Environment variables the S3 credentials are read from. They are the AWS SDK's own: with
 * `access_key_id` and `secret_access_key` left out of the file, Loki v3.7.6 builds its S3 client from
 * `config.LoadDefaultConfig`, whose default credential chain reads them, and sets static credentials
 * only when the file has keys (grafana/loki pkg/storage/chunk/client/aws/s3_storage_client.go,
 * buildS3Client and s3ClientConfigFunc). So no secret passes through the YAML, and no secret
 * character can break or cut it.
 */
export const LOKI_S3_ENV = { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY' } as const;

/**
 * First day of the schema period. Loki reads data with the schema of the period it was written in,
 * so this date never changes: a future schema is a new entry with a later date.
 */
const SCHEMA_START = '2024-04-01';

/** Options of {@link renderLokiConfig}. */
export interface LokiConfigOptions {
  /** The resolved `loki` section. */
  readonly settings: StackConfig['loki'];
  /** `http://host:port` of every Alertmanager replica; the ruler sends each alert to all of them. */
  readonly alertmanagerUrls: readonly string[];
}

/** The embedded query results cache, in MB: an eighth of Loki's memory limit, between 8 and 100 MB. */
export function lokiResultsCacheMb(memoryLimit: string): number {
  return Math.max(8, Math.min(100, Math.floor(bytesOf(memoryLimit) / 8 / 1_000_000)));
}

/**
 * Loki 3 as one process (`-target=all`): schema v13 on TSDB, chunks on the volume or in S3, the
 * compactor applying retention (globally and per stream), the ruler evaluating LogQL rule files and
 * alerting every Alertmanager replica. No secret value appears here: S3 credentials reach Loki as
 * the AWS SDK's environment variables ({@link LOKI_S3_ENV}), never through the file.
 */
export function renderLokiConfig(o: LokiConfigOptions): string {
  const s = o.settings;
  const store = s.storage.type;
  const s3 = s.storage.s3;
  const l = s.limits;
  return toYaml({
    auth_enabled: false,
    server: { http_listen_port: LOKI_PORT, grpc_listen_port: LOKI_GRPC_PORT, log_level: 'info' },
    common: {
      instance_addr: '127.0.0.1',
      // Every writable path (WAL, TSDB shipper, compactor, ruler scratch) derives from this one, on the volume.
      path_prefix: LOKI_DATA_DIR,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: store === 's3' && s3
        ? {
          s3: {
            endpoint: s3.endpoint,
            bucketnames: s3.bucket,
            region: s3.region,
            s3forcepathstyle: s3.forcePathStyle,
            insecure: s3.insecure,
          },
        }
        : { filesystem: { chunks_directory: `${LOKI_DATA_DIR}/chunks` } },
    },
    schema_config: {
      // Retention needs a 24h index period.
      configs: [{ from: SCHEMA_START, store: 'tsdb', object_store: store, schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    limits_config: {
      retention_period: s.retention,
      ...(s.streamRetention.length
        ? { retention_stream: s.streamRetention.map((r) => ({ selector: r.selector, priority: r.priority, period: r.period })) }
        : {}),
      ingestion_rate_mb: l.ingestionRateMb,
      ingestion_burst_size_mb: l.ingestionBurstSizeMb,
      per_stream_rate_limit: l.perStreamRateLimit,
      per_stream_rate_limit_burst: l.perStreamRateLimitBurst,
      max_global_streams_per_user: l.maxStreams,
      max_line_size: l.maxLineSize,
      max_line_size_truncate: true,
      reject_old_samples: true,
      reject_old_samples_max_age: l.rejectOlderThan,
      // Trace and request ids, pod names: queryable per line without becoming labels.
      allow_structured_metadata: true,
      // OTLP logs (from the collector) get the node agents' labels and nothing else as labels: the
      // collector sets namespace/app/container as resource attributes and level/stream as log
      // attributes (charts/otel-collector-config.ts). Without this, Loki indexes its default list
      // (service.instance.id, k8s.pod.name, …) and the agents' labels are missing
      // (grafana/loki v3.7.6 pkg/loghttp/push/otlp_config.go: ignore_defaults, index_label for
      // resource and log attributes; every other attribute becomes structured metadata).
      otlp_config: {
        resource_attributes: {
          ignore_defaults: true,
          attributes_config: [{ action: 'index_label', attributes: [...OTLP_LOG_RESOURCE_LABELS, 'service.name'] }],
        },
        log_attributes: [{ action: 'index_label', attributes: [...OTLP_LOG_LABELS] }],
      },
      volume_enabled: true,
    },
    compactor: {
      working_directory: `${LOKI_DATA_DIR}/compactor`,
      compaction_interval: '10m',
      retention_enabled: true,
      // Chunks marked for deletion are removed after this delay, so queries running when the mark was
      // made can finish. It is no undo window: the index entries go at once, so the lines are gone
      // from queries as soon as the compactor marks them.
      retention_delete_delay: '2h',
      delete_request_store: store,
    },
    ruler: {
      // Always the mounted rule files, also when chunks go to S3 (the common storage would otherwise
      // make the ruler look for rules in the bucket).
      storage: { type: 'local', local: { directory: LOKI_RULES_DIR } },
      rule_path: `${LOKI_DATA_DIR}/rules-temp`,
      wal: { dir: `${LOKI_DATA_DIR}/ruler-wal` },
      // Each URL is its own group: every alert goes to every replica, which deduplicate by gossip.
      alertmanager_url: o.alertmanagerUrls.join(','),
      enable_api: true,
      evaluation_interval: '1m',
    },
    // The results cache is used only with cache_results: true (grafana/loki v3.7.6
    // pkg/querier/queryrange/roundtrip.go builds the cache middleware `if cfg.CacheResults`; the flag
    // defaults to false in pkg/querier/queryrange/queryrangebase/roundtrip.go). The embedded cache
    // lives in Loki's heap, so it is sized within the memory limit: an eighth of it, at most 100 MB.
    query_range: { cache_results: true, results_cache: { cache: { embedded_cache: { enabled: true, max_size_mb: lokiResultsCacheMb(s.resources.limits.memory) } } } },
    analytics: { reporting_enabled: false },
  });
}
