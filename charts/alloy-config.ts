import { PipelineStage, RELABEL_RULES, RelabelRule } from './log-agent-pipeline';

/** Alloy's HTTP port (metrics, readiness, UI). */
export const ALLOY_PORT = 12345;

/** Options of {@link renderAlloyConfig}. */
export interface AlloyConfigOptions {
  /** Loki's push URL. */
  readonly lokiPushUrl: string;
  /** The processing pipeline ({@link logPipeline}). */
  readonly pipeline: readonly PipelineStage[];
}

/**
 * config.alloy: the same discovery, relabelling and pipeline as the Promtail configuration, in
 * Alloy's syntax. Discovery is limited to the pods of the agent's own node (`NODE_NAME`); read
 * positions live in Alloy's storage directory, which the DaemonSet keeps on the host.
 */
export function renderAlloyConfig(o: AlloyConfigOptions): string {
  const blocks = [
    block('logging', [attr('level', str('info')), attr('format', str('logfmt'))]),
    block('discovery.kubernetes "pods"', [
      attr('role', str('pod')),
      block('selectors', [attr('role', str('pod')), attr('field', '"spec.nodeName=" + sys.env("NODE_NAME")')]),
    ]),
    block('discovery.relabel "pods"', [attr('targets', 'discovery.kubernetes.pods.targets'), ...RELABEL_RULES.map(alloyRule)]),
    block('local.file_match "pods"', [attr('path_targets', 'discovery.relabel.pods.output')]),
    block('loki.source.file "pods"', [attr('targets', 'local.file_match.pods.targets'), attr('forward_to', '[loki.process.pods.receiver]')]),
    block('loki.process "pods"', [...o.pipeline.map(alloyStage), attr('forward_to', '[loki.write.default.receiver]')]),
    block('loki.write "default"', [block('endpoint', [attr('url', str(o.lokiPushUrl))])]),
  ];
  return `${blocks.join('\n\n')}\n`;
}

function alloyRule(r: RelabelRule): string {
  return block('rule', [
    attr('source_labels', list(r.sourceLabels.map(str))),
    ...(r.separator ? [attr('separator', str(r.separator))] : []),
    ...(r.regex ? [attr('regex', raw(r.regex))] : []),
    attr('target_label', str(r.targetLabel)),
    ...(r.replacement ? [attr('replacement', str(r.replacement))] : []),
  ]);
}

/** `{ name = "" }` entries: Alloy's "same name" shorthand. */
const sameNames = (names: readonly string[]) => `{ ${names.map((n) => `${n} = ""`).join(', ')} }`;

function alloyStage(s: PipelineStage): string {
  switch (s.kind) {
    case 'cri': return 'stage.cri { }';
    case 'replace': return block('stage.replace', [`// ${s.rule.name}: ${s.rule.description}`, attr('expression', raw(s.rule.expression)), attr('replace', str(s.replace))]);
    case 'json': return block('stage.json', [attr('expressions', `{ ${Object.entries(s.expressions).map(([k, v]) => `${k} = ${str(v)}`).join(', ')} }`)]);
    case 'template': return block('stage.template', [attr('source', str(s.source)), attr('template', raw(s.template))]);
    case 'labels': return block('stage.labels', [attr('values', sameNames(s.names))]);
    case 'structuredMetadata': return block('stage.structured_metadata', [attr('values', sameNames(s.names))]);
    case 'labelDrop': return block('stage.label_drop', [attr('values', list(s.names.map(str)))]);
  }
}

function block(header: string, body: readonly string[]): string {
  return `${header} {\n${body.map((line) => line.replace(/^/gm, '  ')).join('\n')}\n}`;
}

function attr(name: string, value: string): string {
  return `${name} = ${value}`;
}

/** A double-quoted Alloy string (its escapes are JSON's). */
function str(value: string): string {
  return JSON.stringify(value);
}

/** A raw (backtick) Alloy string: regexes and templates read as written. */
function raw(value: string): string {
  if (value.includes('`')) throw new Error(`cannot write ${value} as a raw Alloy string: it contains a backtick`);
  return `\`${value}\``;
}

function list(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}
