import { parser } from '@grafana/lezer-logql';
import { z } from 'zod';
import { durationSeconds } from '../lib/duration';
import { AGENT_LABELS, LEVEL_VALUES, RUNTIME_STREAMS } from '../lib/log-pipeline';
import { REDACTED_FIELDS, extraFieldProblem } from '../lib/redaction';
import { byteQuantity, bytesOf, dnsLabel, positiveDuration, promBytes, publicHttpUrl, resources, secretKeyRef } from '../lib/validators';
import { re2MatchesEmpty, re2SyntaxProblems, re2ToAnchoredJs } from '../lib/re2';

/**
 * The logs and traces sections of the stack configuration: `loki`, `logs` (the node log agent),
 * `jaeger` and `otelCollector`. `charts/config.ts` composes them into the one schema.
 */

const res = (cpu: string, memory: string, limit: string) => ({ requests: { cpu, memory }, limits: { memory: limit } });

/** A label value the agents may set from an app's JSON `stream` field. */
const streamName = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case stream name such as "security"');

export const lokiSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Loki and the node log agent.'),
  retention: positiveDuration.default('7d').describe('Delete log lines older than this (at least `24h`), unless a `streamRetention` rule matches.'),
  streamRetention: z.array(z.strictObject({
    selector: z.string().describe('LogQL stream selector over the labels the agents set (`namespace`, `app`, `container`, `level`, `stream`, and `service_name`), e.g. `{stream="security"}` or `{namespace="dev", level="debug"}`; regexes are RE2.'),
    period: positiveDuration.describe('How long matching streams are kept (at least `24h`), e.g. `"1y"`.'),
    priority: z.number().int().min(1).default(1).describe('When several rules match a stream, the highest priority wins.'),
  })).default([]).describe('Per-stream retention (Loki `retention_stream`), e.g. `[{ selector: \'{stream="security"}\', period: "1y" }]`.'),
  limits: z.strictObject({
    ingestionRateMb: z.number().positive().default(4).describe('Ingestion rate of all streams together, in MB/s.'),
    ingestionBurstSizeMb: z.number().positive().default(8).describe('Ingestion burst, in MiB (Loki multiplies by 2^20); at least 1, the log agents\' batch size, since Loki refuses a larger push with a 429.'),
    perStreamRateLimit: promBytes.default('3MB').describe('Ingestion rate of one stream, per second.'),
    perStreamRateLimitBurst: promBytes.default('15MB').describe('Burst of one stream; at least `1MB`, the log agents\' batch size.'),
    maxStreams: z.number().int().positive().default(10000).describe('Active streams at most: the guard against a high-cardinality label.'),
    maxLineSize: promBytes.default('256KB').describe('Longer lines are truncated, not dropped.'),
    rejectOlderThan: positiveDuration.default('7d').describe('Refuse lines older than this (a replayed file, a wrong clock).'),
  }).prefault({}).describe('Ingestion limits.'),
  storage: z.strictObject({
    type: z.enum(['filesystem', 's3']).default('filesystem').describe('Where chunks and index live: the volume (`filesystem`, one node) or S3-compatible object storage (`s3`). Choose before the first log line: switching later needs a new schema period.'),
    size: byteQuantity.default('10Gi').describe('Size of the PersistentVolumeClaim: everything with `filesystem`; the WAL, index cache and compactor files with `s3`.'),
    storageClassName: z.string().optional().describe('StorageClass of the claim; unset uses the cluster default.'),
    s3: z.strictObject({
      endpoint: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/, 'expected host[:port] without a scheme, user or keys (letters, digits, "." and "-"), e.g. "minio.minio.svc:9000"; the keys come from accessKeyId and secretAccessKey').describe('S3 endpoint `host[:port]`, e.g. `minio.minio.svc:9000` or `s3.eu-west-1.amazonaws.com`.'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name: 3-63 lower-case letters, digits, "." and "-"').describe('Bucket for chunks, index and delete requests.'),
      region: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a region name: lower-case letters, digits and "-", e.g. "eu-west-1"').default('us-east-1').describe('Region (any value for MinIO).'),
      accessKeyId: secretKeyRef.describe('Secret key holding the access key id.'),
      secretAccessKey: secretKeyRef.describe('Secret key holding the secret access key.'),
      forcePathStyle: z.boolean().default(true).describe('Path-style bucket URLs, as MinIO and most self-hosted stores need.'),
      insecure: z.boolean().default(false).describe('Plain HTTP to the endpoint.'),
    }).optional().describe('S3 settings; required with `type: "s3"`.'),
  }).prefault({}).describe('Log storage.'),
  pushFromNamespaces: z.array(dnsLabel).default([]).describe('Namespaces whose pods may push to Loki directly (needs Loki enabled). Port 3100 also serves queries, so list only namespaces trusted to read every log; apps normally log to stdout (the node agent ships it) or send OTLP to the collector.'),
  resources: resources.default(res('50m', '128Mi', '512Mi')).describe('Requests and memory limit.'),
}).prefault({});

export const logsSchema = z.strictObject({
  agent: z.enum(['promtail', 'alloy', 'none']).default('promtail').describe('Node log agent, deployed with Loki: `promtail` (end of life upstream; see docs/logs-and-traces.md), `alloy` (its successor, same pipeline) or `none`.'),
  streams: z.array(streamName).default(['security', 'audit']).describe('Values of an app\'s JSON `stream` field that move a line into its own stream (label `stream`), e.g. for its own retention; other lines keep `stdout`/`stderr`.'),
  redactFields: z.array(z.string().superRefine((f, ctx) => {
    const problem = extraFieldProblem(f);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })).default([]).describe(`Field names whose values are redacted on the node, besides the built-in ${REDACTED_FIELDS.map((f) => `\`${f}\``).join(', ')} (which match any key containing them). An extra name matches whole keys only, in any case and \`-\`/\`_\` style, at any depth; a pino path such as \`user.ssn\` matches its last segment. The fields the agents read (\`level\`, \`trace_id\`, …) are refused.`),
  resources: resources.default(res('20m', '48Mi', '192Mi')).describe('Requests and memory limit of the agent on each node.'),
}).prefault({});

export const jaegerSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Jaeger (traces).'),
  ttl: positiveDuration.default('7d').describe('Delete spans older than this: Badger\'s TTL; with Elasticsearch, a daily CronJob deletes the daily indices older than this (rounded up to whole days), and queries look back this far.'),
  storage: z.strictObject({
    type: z.enum(['badger', 'elasticsearch']).default('badger').describe('Embedded Badger on the volume (one node) or Elasticsearch/OpenSearch.'),
    size: byteQuantity.default('10Gi').describe('Size of the Badger PersistentVolumeClaim.'),
    storageClassName: z.string().optional().describe('StorageClass of the claim; unset uses the cluster default.'),
    elasticsearch: z.strictObject({
      urls: z.array(publicHttpUrl('write the URL without user or password; set username and password (a Secret reference)')).min(1).describe('Cluster URLs, e.g. `["https://es.search.svc:9200"]`, without credentials (use `username` and `password`).'),
      username: z.string().min(1).optional().describe('Basic-auth user name.'),
      password: secretKeyRef.optional().describe('Secret key holding the basic-auth password.'),
      indexPrefix: dnsLabel.default('vigil').describe('Prefix of Jaeger\'s indices (`<prefix>-jaeger-span-*`).'),
      caCert: secretKeyRef.optional().describe('Secret key holding the PEM CA bundle that signed the cluster\'s certificate (ECK, the OpenSearch operator or another private CA); unset trusts the image\'s system CAs. Needs `https://` URLs.'),
    }).optional().describe('Elasticsearch/OpenSearch settings; required with `type: "elasticsearch"`.'),
  }).prefault({}).describe('Trace storage.'),
  sampling: z.strictObject({
    probability: z.number().min(0).max(1).default(1).describe('Share of new traces sampled by apps that ask Jaeger for their strategy (the Jaeger remote sampler, port 5778).'),
    services: z.record(z.string().min(1), z.number().min(0).max(1)).default({}).describe('Per-service probabilities, e.g. `{ "idkarr-api": 0.1 }`.'),
  }).prefault({}).describe('Sampling strategies served to apps.'),
  resources: resources.default(res('20m', '64Mi', '512Mi')).describe('Requests and memory limit.'),
}).prefault({});

export const otelCollectorSchema = z.strictObject({
  enabled: z.boolean().default(false).describe('Deploy an OpenTelemetry Collector gateway that apps send OTLP to (traces to Jaeger, metrics to Prometheus, logs to Loki).'),
  replicas: z.number().int().min(1).max(10).default(1).describe('Replicas (one with tail sampling: a trace\'s spans must meet in one collector).'),
  sampling: z.strictObject({
    mode: z.enum(['none', 'probabilistic', 'tail']).default('none').describe('`probabilistic`: keep `percentage` of traces; `tail`: keep every trace with an error or slower than `slowerThan`, and `percentage` of the rest.'),
    percentage: z.number().min(0).max(100).default(10).describe('Percentage of (ordinary) traces kept.'),
    slowerThan: positiveDuration.default('1s').describe('Tail sampling: traces at least this long are always kept; below `decisionWait`, since the decision is made that long after a trace\'s first span.'),
    decisionWait: positiveDuration.default('10s').describe('Tail sampling: how long to wait for a trace\'s spans before deciding; above `slowerThan`.'),
  }).prefault({}).describe('Trace sampling in the collector.'),
  resources: resources.default(res('50m', '128Mi', '512Mi')).describe('Requests and memory limit of each replica.'),
}).prefault({});

/** The parts of the stack configuration the checks below read. */
interface LogsAndTraces {
  loki: z.output<typeof lokiSchema>;
  logs: z.output<typeof logsSchema>;
  jaeger: z.output<typeof jaegerSchema>;
  otelCollector: z.output<typeof otelCollectorSchema>;
}

const DAY = 86400;

/**
 * The labels a stream can have: those the agents set, which the collector's OTLP logs get too (Loki's
 * OTLP label mapping, charts/loki-config.ts), and `service_name`, which Loki adds to every stream.
 * Pod and node names and the ids are structured metadata, which retention selectors cannot match.
 */
export const STREAM_LABELS: readonly string[] = [...AGENT_LABELS, 'service_name'];

/** The log agents' batch size in bytes (see the burst check below). */
export const AGENT_BATCH_BYTES = 1024 * 1024;

const formatSeconds = (s: number) => (s % 60 === 0 ? `${s / 60}m` : `${s}s`);

/**
 * Cross-field checks of the logs and traces sections; `charts/config.ts` calls this from the schema's
 * `superRefine`. Each problem names the field and what to write instead.
 */
export function refineLogsAndTraces(c: LogsAndTraces, ctx: z.RefinementCtx): void {
  const seconds = durationSeconds;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (seconds(c.loki.retention) < DAY) issue(['loki', 'retention'], `retention ${c.loki.retention} is below Loki's minimum of 24h; write "24h" or more`);
  const knownValues = { level: LEVEL_VALUES, stream: [...RUNTIME_STREAMS, ...c.logs.streams] };
  const knownLabels = STREAM_LABELS;
  c.loki.streamRetention.forEach((r, i) => {
    if (seconds(r.period) < DAY) issue(['loki', 'streamRetention', i, 'period'], `period ${r.period} is below Loki's minimum of 24h; write "24h" or more`);
    for (const problem of streamSelectorIssues(r.selector, knownValues, knownLabels)) issue(['loki', 'streamRetention', i, 'selector'], problem);
  });
  // Both agents send batches of up to 1 MiB (Promtail v3.6.11 clients/pkg/promtail/client/config.go
  // BatchSize = 1024 * 1024; Alloy v1.18.1 internal/component/loki/write/types.go BatchSize 1 MiB),
  // and Loki refuses a push above the burst with a 429 (grafana/loki v3.7.6 pkg/validation/limits.go:
  // ingestion_burst_size_mb * bytesInMB, bytesInMB = 1048576); the agents retry, then drop the batch.
  if (c.loki.limits.ingestionBurstSizeMb < AGENT_BATCH_BYTES / 2 ** 20) {
    issue(['loki', 'limits', 'ingestionBurstSizeMb'], `a burst of ${c.loki.limits.ingestionBurstSizeMb} MiB is below the log agents' batch of 1 MiB: Loki would refuse every full batch with a 429 and the agents drop it after their retries; write 1 or more`);
  }
  if (bytesOf(c.loki.limits.perStreamRateLimitBurst) < AGENT_BATCH_BYTES) {
    issue(['loki', 'limits', 'perStreamRateLimitBurst'], `a per-stream burst of ${c.loki.limits.perStreamRateLimitBurst} is below the log agents' batch of 1 MiB, which one busy stream fills: write "1MB" or more`);
  }
  if (c.loki.pushFromNamespaces.length && !c.loki.enabled) {
    issue(['loki', 'pushFromNamespaces'], 'Loki is disabled (loki.enabled: false), so no namespace can push to it: remove pushFromNamespaces or enable Loki');
  }
  const tail = c.otelCollector.sampling;
  if (tail.mode === 'tail' && seconds(tail.slowerThan) >= seconds(tail.decisionWait)) {
    issue(['otelCollector', 'sampling', 'slowerThan'], `slowerThan ${tail.slowerThan} is not below decisionWait ${tail.decisionWait}: the decision is made decisionWait after a trace's first span, before a trace that slow has ended, so no slow trace would be kept; raise decisionWait above slowerThan (e.g. "${formatSeconds(seconds(tail.slowerThan) * 2 + 5)}") or lower slowerThan`);
  }
  const s3 = c.loki.storage;
  if (s3.type === 's3' && !s3.s3) issue(['loki', 'storage', 's3'], 'storage type "s3" needs loki.storage.s3 { endpoint, bucket, accessKeyId, secretAccessKey }');
  if (s3.type !== 's3' && s3.s3) issue(['loki', 'storage', 'type'], 'loki.storage.s3 is set but type is "filesystem"; write type: "s3" to use it');
  const js = c.jaeger.storage;
  if (js.type === 'elasticsearch' && !js.elasticsearch) issue(['jaeger', 'storage', 'elasticsearch'], 'storage type "elasticsearch" needs jaeger.storage.elasticsearch { urls }');
  if (js.type !== 'elasticsearch' && js.elasticsearch) issue(['jaeger', 'storage', 'type'], 'jaeger.storage.elasticsearch is set but type is "badger"; write type: "elasticsearch" to use it');
  if (js.elasticsearch?.caCert && !js.elasticsearch.urls.every((u) => u.startsWith('https://'))) {
    issue(['jaeger', 'storage', 'elasticsearch', 'caCert'], 'a CA bundle is for https:// clusters; write the urls with https:// or drop caCert');
  }
  if (js.elasticsearch && Boolean(js.elasticsearch.username) !== Boolean(js.elasticsearch.password)) {
    issue(['jaeger', 'storage', 'elasticsearch'], 'set both username and password (a Secret reference), or neither');
  }
  if (c.otelCollector.sampling.mode === 'tail' && c.otelCollector.replicas > 1) {
    issue(['otelCollector', 'replicas'], `tail sampling needs every span of a trace in one collector; use replicas: 1 (got ${c.otelCollector.replicas}) or sampling mode "probabilistic"`);
  }
}

/**
 * Problems with a Loki stream selector used in the configuration: it must parse as a LogQL stream
 * selector (no pipeline), have a matcher that does not match the empty string (Loki refuses
 * selectors that match every stream), carry no `$` (Loki expands environment variables in its
 * configuration; its regexes are anchored, so `$` is never needed), use regexes Go's RE2 compiles
 * (Loki parses them with syntax.ParseMatchers at start and would not start), name only labels
 * streams have (`knownLabels`) and compare `level`/`stream` only with values the agents set.
 */
export function streamSelectorIssues(selector: string, knownValues: Record<string, readonly string[]> = {}, knownLabels?: readonly string[]): string[] {
  const example = 'write e.g. {stream="security"} or {namespace="dev", level="debug"}';
  if (selector.includes('$')) return [`selector ${selector} contains "$", which Loki would read as an environment variable; remove it (label regexes are anchored anyway)`];
  const tree = parser.parse(selector);
  let error: number | undefined;
  tree.iterate({ enter: (n) => { if (n.type.isError && error === undefined) error = n.from; } });
  const logExpr = tree.topNode.getChild('Expr')?.getChild('LogExpr');
  if (error !== undefined || !logExpr) return [`selector ${selector} does not parse as a LogQL stream selector${error !== undefined ? ` (at ${error})` : ''}; ${example}`];
  if (logExpr.getChild('PipelineExpr')) return [`selector ${selector} has a pipeline; retention applies to whole streams, so use only the {…} part`];
  const matchers: Array<{ name: string; op: string; value: string }> = [];
  tree.iterate({
    enter: (n) => {
      if (n.name !== 'Matcher') return undefined;
      const name = n.node.getChild('Identifier');
      const value = n.node.getChild('String');
      const op = n.node.firstChild?.nextSibling;
      if (name && value && op) matchers.push({ name: selector.slice(name.from, name.to), op: selector.slice(op.from, op.to), value: unquote(selector.slice(value.from, value.to)) });
      return false;
    },
  });
  const problems: string[] = [];
  const regexOk = new Map<string, boolean>();
  for (const m of matchers) {
    if (m.op !== '=~' && m.op !== '!~') continue;
    const re2 = re2SyntaxProblems(m.value);
    regexOk.set(m.value, re2.length === 0);
    if (re2.length) problems.push(`selector ${selector}: ${m.name}${m.op}"${m.value}" is not an RE2 regex, which Loki requires (it would not start): ${re2.join('; ')}`);
  }
  if (!matchers.some((m) => !matchesEmpty(m.op, m.value))) problems.push(`selector ${selector} matches every stream; add a matcher with a non-empty value, ${example}`);
  for (const m of matchers) {
    if (knownLabels && !knownLabels.includes(m.name)) {
      const metadata = ['pod', 'node_name', 'trace_id', 'span_id', 'request_id', 'service'].includes(m.name);
      problems.push(`selector ${selector}: streams have no label "${m.name}"${metadata ? ' (it is structured metadata, which retention cannot select)' : ''}, so the rule never matches; use ${knownLabels.map((l) => `"${l}"`).join(', ')}`);
      continue;
    }
    const known = knownValues[m.name];
    if (!known) continue;
    const hint = `use one of ${known.map((v) => `"${v}"`).join(', ')}${m.name === 'stream' ? ' (add a stream name to logs.streams)' : ''}`;
    if (m.op === '=' && !known.includes(m.value)) {
      problems.push(`selector ${selector}: the log agents never set ${m.name}="${m.value}"; ${hint}`);
    } else if (m.op === '=~' && regexOk.get(m.value)) {
      const re = re2ToAnchoredJs(m.value);
      if (re && !known.some((v) => re.test(v))) problems.push(`selector ${selector}: ${m.name}=~"${m.value}" matches none of the values the log agents set (they are lower case); ${hint}`);
    }
  }
  return problems;
}

function unquote(s: string): string {
  return s.startsWith('`') ? s.slice(1, -1) : JSON.parse(s);
}

/** Whether a matcher accepts a stream without the label; a regex that is not RE2 counts as not (it is reported apart). */
function matchesEmpty(op: string, value: string): boolean {
  if (op === '=') return value === '';
  if (op === '!=') return value !== '';
  const emptyMatches = re2MatchesEmpty(value);
  if (emptyMatches === undefined) return false;
  return op === '=~' ? emptyMatches : !emptyMatches;
}
