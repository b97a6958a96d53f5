/**
 * What the node log agents make of a line, as data shared by the Promtail and Alloy renderers and by
 * the configuration checks: the JSON fields they read, the labels they set (few, each with a small,
 * bounded set of values) and the structured metadata they attach (high-cardinality ids that must
 * never become labels).
 */

/**
 * Canonical `level` label values and the spellings the seed apps' loggers write: pino (`info`, or
 * numbers 10–60 without a level formatter), winston (`verbose`, `silly`, `http`), Python logging
 * (`WARNING`, `CRITICAL`). Matching ignores case; anything else becomes `unknown`, so a stray value
 * cannot create new streams.
 */
export const LOG_LEVELS: Readonly<Record<string, readonly string[]>> = {
  trace: ['trace', '10', 'silly'],
  debug: ['debug', '20', 'verbose'],
  info: ['info', '30', 'http', 'information', 'notice'],
  warn: ['warn', '40', 'warning'],
  error: ['error', '50', 'err'],
  fatal: ['fatal', '60', 'critical', 'crit', 'panic', 'emergency', 'alert'],
};

/** The `level` value of a JSON line whose level is none of the known spellings. */
export const UNKNOWN_LEVEL = 'unknown';

/** Every value the `level` label can take. */
export const LEVEL_VALUES: readonly string[] = [...Object.keys(LOG_LEVELS), UNKNOWN_LEVEL];

/** `stream` label values that come from the container runtime (the CRI log format). */
export const RUNTIME_STREAMS: readonly string[] = ['stdout', 'stderr'];

/**
 * JSON fields read from each line, as JMESPath expressions (both agents' `json` stage) trying the
 * spellings of pino, winston and Python's JSON formatters in turn. The line itself is stored
 * unchanged (after redaction), so every other field stays queryable with `| json`.
 */
export const JSON_FIELDS = {
  level: 'level || severity || levelname',
  trace_id: 'traceId || trace_id || traceID',
  span_id: 'spanId || span_id',
  request_id: 'requestId || request_id || correlationId || correlation_id',
  service: 'service',
  // Named apart from the runtime's `stream` so an app value never silently replaces stdout/stderr.
  log_stream: 'stream',
} as const;

/** Stream labels the agents set (besides `stream`, set by the CRI parser): few values each. */
export const AGENT_LABELS = ['namespace', 'app', 'container', 'level', 'stream'] as const;

/**
 * Per-line values kept as Loki structured metadata: queryable (`| trace_id="…"`) without being
 * indexed. `pod` and `node_name` come from discovery and are moved out of the labels, so a rollout
 * does not create new streams; the ids come from the JSON fields above. The names match what Loki
 * stores for OTLP logs (`trace_id`, `span_id`), so one query finds a trace's logs from either path.
 */
export const STRUCTURED_METADATA = ['pod', 'node_name', 'trace_id', 'span_id', 'request_id', 'service'] as const;
