/**
 * Selector helpers for pack expressions. Packs take label matchers as plain PromQL text
 * (`job="node-exporter"`), the way mixins take `nodeExporterSelector`, so users can write any matcher.
 */

/** `metric{m1, m2}` from a metric name and matcher strings; empty matchers are dropped. */
export function sel(metric: string, ...matchers: Array<string | undefined>): string {
  const parts = matchers.map((m) => (m ?? '').trim()).filter((m) => m.length > 0);
  return parts.length > 0 ? `${metric}{${parts.join(', ')}}` : metric;
}

/** The PromQL string literal for `value` (double-quoted, escaped as Go strings are). */
export function quote(value: string): string {
  return JSON.stringify(value);
}
