import { createHash } from 'node:crypto';
import YAML from 'yaml';

/**
 * Renders a configuration document (prometheus.yml, alertmanager.yml, ...) as YAML the Go components
 * read the way we mean it: YAML 1.1 so `on`/`yes` are quoted, no line folding so a long PromQL
 * expression stays one diff line, and multi-line strings as literal blocks. Key order is the order
 * the render function builds, which is fixed, so output is byte-for-byte deterministic.
 */
export function toYaml(doc: unknown): string {
  const document = new YAML.Document(doc, { version: '1.1', aliasDuplicateObjects: false });
  // Short lists of scalars read best on one line: `source_labels: [__meta_kubernetes_namespace]`.
  YAML.visit(document, {
    Seq(_, node) {
      const items = node.items;
      if (items.length && items.every((i) => YAML.isScalar(i) && !String(i.value).includes('\n')) && items.map((i) => String((i as YAML.Scalar).value)).join(', ').length <= 100) {
        node.flow = true;
        // Go's YAML parser (gopkg.in/yaml.v2, scannerc.go: yaml_parser_scan_plain_scalar), which
        // Prometheus and Alertmanager use, ends a plain scalar at "?" inside a flow collection, so
        // `[http://api/health?full=1]` does not parse there: such items are quoted.
        for (const i of items as YAML.Scalar[]) if (typeof i.value === 'string' && i.value.includes('?')) i.type = 'QUOTE_DOUBLE';
      }
    },
  });
  return document.toString({ lineWidth: 0, blockQuote: 'literal', flowCollectionPadding: false });
}

/** JSON with object keys sorted at every level: a stable hash input. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v);
}

/** SHA-256 of a value, for `checksum/config` pod annotations that roll pods when their config changes. */
export function checksum(value: unknown): string {
  return createHash('sha256').update(typeof value === 'string' ? value : stableJson(value)).digest('hex');
}
