import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { AGENT_LABELS, STRUCTURED_METADATA } from '../lib/log-pipeline';
import { redactionRules } from '../lib/redaction';
import { Manifest, configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

const promtailStack = synthStack();
const alloyStack = synthStack({ logs: { agent: 'alloy' } });
const promtail = configDoc(promtailStack, 'promtail-config', 'promtail.yaml');
const alloy: string = objectOf(alloyStack, 'ConfigMap', 'alloy-config').data['config.alloy'];
const promtailStages: any[] = promtail.scrape_configs[0].pipeline_stages;

/** The body of an Alloy block (`header { … }`), by brace matching. */
function alloyBlock(text: string, header: string): string {
  const start = text.indexOf(`${header} {`);
  if (start < 0) throw new Error(`no block ${header}`);
  let depth = 0;
  for (let i = text.indexOf('{', start); i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(text.indexOf('{', start) + 1, i);
  }
  throw new Error(`unterminated block ${header}`);
}

/** The stage names of Alloy's loki.process block, in order. */
const alloyStages = [...alloyBlock(alloy, 'loki.process "pods"').matchAll(/^ {2}stage\.(\w+) \{/gm)].map((m) => m[1]);
/** Alloy raw-string attribute values (`name = \`…\``), in order. */
const alloyRaw = (name: string) => [...alloy.matchAll(new RegExp(`^\\s*${name} = \`([^\`]*)\``, 'gm'))].map((m) => m[1]);

describe('log agent: Promtail (the default)', () => {
  const ds = objectOf(promtailStack, 'DaemonSet', 'promtail');
  const pod = ds.spec.template.spec;
  const c = pod.containers[0];

  it('runs the last Promtail release in the agents namespace on every node', () => {
    expect(ds.metadata.namespace).toBe('monitoring-agents');
    expect(c.image).toBe('docker.io/grafana/promtail:3.6.11');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(c.env).toEqual([{ name: 'HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
  });

  it('runs as root only to read the log files: no capabilities, read-only root, no escalation', () => {
    expect(c.securityContext).toEqual({
      runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
      privileged: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
  });

  it('reads /var/log/pods read-only and keeps its positions in a host directory', () => {
    expect(c.volumeMounts).toEqual([
      { name: 'config', mountPath: '/etc/promtail', readOnly: true },
      { name: 'pod-logs', mountPath: '/var/log/pods', readOnly: true },
      { name: 'state', mountPath: '/var/lib/vigil-promtail' },
    ]);
    expect(pod.volumes.filter((v: any) => v.hostPath)).toEqual([
      { name: 'pod-logs', hostPath: { path: '/var/log/pods', type: 'Directory' } },
      { name: 'state', hostPath: { path: '/var/lib/vigil-promtail', type: 'DirectoryOrCreate' } },
    ]);
    expect(promtail.positions).toEqual({ filename: '/var/lib/vigil-promtail/positions.yaml' });
  });

  it('may only get, list and watch pods', () => {
    const role = objectOf(promtailStack, 'ClusterRole', 'vigil-promtail-monitoring-agents');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    const binding = objectOf(promtailStack, 'ClusterRoleBinding', 'vigil-promtail-monitoring-agents');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'promtail', namespace: 'monitoring-agents' }]);
    expect(pod.automountServiceAccountToken).toBe(true);
  });

  it('discovers pods through the API, tails their CRI files and pushes to Loki\'s Service', () => {
    expect(promtail.clients).toEqual([{ url: 'http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push' }]);
    const sd = promtail.scrape_configs[0];
    expect(sd.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    expect(sd.relabel_configs.at(-2)).toEqual({
      source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'], separator: '/',
      target_label: '__path__', replacement: '/var/log/pods/*$1/*.log',
    });
    // Static pods: their directory is named after the config hash, not the mirror pod's UID.
    expect(sd.relabel_configs.at(-1)).toEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_kubernetes_io_config_mirror', '__meta_kubernetes_pod_container_name'], separator: '/',
      regex: '([^/]+/.+)', target_label: '__path__', replacement: '/var/log/pods/*$1/*.log',
    });
    expect(promtailStages[0]).toEqual({ cri: {} });
  });

  it('sets only low-cardinality labels; ids and pod names become structured metadata', () => {
    const targets = promtail.scrape_configs[0].relabel_configs.map((r: any) => r.target_label).filter((l: string) => !l.startsWith('__'));
    const labels = promtailStages.find((s) => s.labels).labels;
    const metadata = Object.keys(promtailStages.find((s) => s.structured_metadata).structured_metadata);
    expect(metadata).toEqual([...STRUCTURED_METADATA]);
    // Labels left on a line: discovery targets minus those moved to metadata, plus the pipeline's and the CRI stream.
    const finalLabels = new Set([...targets.filter((l: string) => !metadata.includes(l)), ...Object.keys(labels), 'stream']);
    expect([...finalLabels].sort()).toEqual([...AGENT_LABELS].sort());
    for (const id of ['trace_id', 'span_id', 'request_id', 'traceId', 'requestId', 'correlationId', 'userId']) expect(finalLabels.has(id), id).toBe(false);
    expect(promtailStages.at(-1)).toEqual({ labeldrop: ['filename'] });
  });

  it('reads the JSON fields of pino, winston and Python loggers', () => {
    expect(promtailStages.find((s) => s.json).json.expressions).toEqual({
      level: 'level || severity || levelname',
      trace_id: 'traceId || trace_id || traceID',
      span_id: 'spanId || span_id',
      request_id: 'requestId || request_id || correlationId || correlation_id',
      service: 'service',
      log_stream: 'stream',
    });
  });

  it('redacts before it parses, with the shared RE2 rules (surviving YAML unchanged)', () => {
    const kinds = promtailStages.map((s) => Object.keys(s)[0]);
    expect(kinds.indexOf('json')).toBeGreaterThan(kinds.lastIndexOf('replace'));
    const replaces = promtailStages.filter((s) => s.replace).map((s) => s.replace);
    // Numbers become the quoted mark, so a JSON line stays JSON.
    expect(replaces).toEqual(redactionRules().map((r) => ({ expression: r.expression, replace: r.name === 'json-numbers' ? '"[REDACTED]"' : '[REDACTED]' })));
  });

  it('maps level spellings to a few canonical values and routes only allowed stream names', () => {
    const [level, stream] = promtailStages.filter((s) => s.template).map((s) => s.template);
    expect(level.source).toBe('level');
    expect(level.template).toContain('{{ else if eq $l "warn" "40" "warning" }}warn');
    expect(level.template).toContain('{{ else }}unknown{{ end }}');
    // The runtime stream only when the CRI parser found one: otherwise the result is empty and no label is set.
    expect(stream).toEqual({ source: 'stream', template: '{{ if .log_stream }}{{ if eq .log_stream "security" "audit" }}{{ .log_stream }}{{ else }}{{ if .Value }}{{ .Value }}{{ end }}{{ end }}{{ else }}{{ if .Value }}{{ .Value }}{{ end }}{{ end }}' });
  });

  it('drops stream routing when no stream names are allowed', () => {
    const stages: any[] = configDoc(synthStack({ logs: { streams: [] } }), 'promtail-config', 'promtail.yaml').scrape_configs[0].pipeline_stages;
    expect(stages.filter((s) => s.template).map((s) => s.template.source)).toEqual(['level']);
    expect(stages.find((s) => s.json).json.expressions.log_stream).toBeUndefined();
    expect(stages.find((s) => s.labels).labels).toEqual({ level: null });
  });

  it('takes extra redacted fields from the configuration', () => {
    const stages: any[] = configDoc(synthStack({ logs: { redactFields: ['ssn'] } }), 'promtail-config', 'promtail.yaml').scrape_configs[0].pipeline_stages;
    expect(stages.find((s) => s.replace).replace.expression).toContain('|(?:ssn))');
  });

  it('renders YAML that a YAML 1.1 reader parses back to the same stages', () => {
    const text: string = objectOf(promtailStack, 'ConfigMap', 'promtail-config').data['promtail.yaml'];
    expect(YAML.parse(text, { version: '1.1' }).scrape_configs[0].pipeline_stages).toEqual(promtailStages);
  });

  it('rolls the pods when its configuration changes', () => {
    const other = objectOf(synthStack({ logs: { streams: ['security'] } }), 'DaemonSet', 'promtail');
    expect(other.spec.template.metadata.annotations['checksum/config']).not.toBe(ds.spec.template.metadata.annotations['checksum/config']);
  });

  it('is scraped as job "promtail" and let into Loki on 3100 only, from its own pods', () => {
    const job = configDoc(promtailStack, 'prometheus-config', 'prometheus.yml').scrape_configs.find((j: any) => j.job_name === 'promtail');
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'endpointslice', namespaces: { names: ['monitoring-agents'] } }]);
    expect(objectOf(promtailStack, 'NetworkPolicy', 'loki-ingress-telemetry').spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring-agents' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'promtail', 'app.kubernetes.io/part-of': 'vigil' } },
      }],
      ports: [{ port: 3100, protocol: 'TCP' }],
    }]);
  });
});

describe('log agent: Alloy (logs.agent: "alloy")', () => {
  const ds = objectOf(alloyStack, 'DaemonSet', 'alloy');
  const c = ds.spec.template.spec.containers[0];

  it('replaces Promtail entirely', () => {
    expect(objectsOf(alloyStack, 'DaemonSet').map((d) => d.metadata.name).sort()).toEqual(['alloy', 'node-exporter']);
    expect(objectsOf(alloyStack, 'ConfigMap', 'promtail-config')).toEqual([]);
    expect(c.image).toBe('docker.io/grafana/alloy:v1.18.1');
    const jobs = configDoc(alloyStack, 'prometheus-config', 'prometheus.yml').scrape_configs.map((j: any) => j.job_name);
    expect(jobs).toContain('alloy');
    expect(jobs).not.toContain('promtail');
  });

  it('keeps its storage (read positions) on the host and runs with the same minimal access', () => {
    expect(c.args).toEqual([
      'run', '/etc/alloy/config.alloy', '--storage.path=/var/lib/vigil-alloy', '--server.http.listen-addr=0.0.0.0:12345',
      '--stability.level=generally-available', '--disable-reporting',
    ]);
    expect(c.volumeMounts.find((m: any) => m.name === 'state')).toEqual({ name: 'state', mountPath: '/var/lib/vigil-alloy' });
    expect(c.securityContext).toEqual(objectOf(promtailStack, 'DaemonSet', 'promtail').spec.template.spec.containers[0].securityContext);
    expect(objectOf(alloyStack, 'ClusterRole', 'vigil-alloy-monitoring-agents').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    expect(alloy).toContain('field = "spec.nodeName=" + sys.env("NODE_NAME")');
    expect(c.env).toEqual([{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }]);
  });

  it('runs the same pipeline as Promtail, stage for stage', () => {
    const names: Record<string, string> = { labeldrop: 'label_drop' };
    expect(alloyStages).toEqual(promtailStages.map((s) => Object.keys(s)[0]).map((k) => names[k] ?? k));
    expect(alloyRaw('expression')).toEqual(redactionRules().map((r) => r.expression));
    expect(alloyRaw('template')).toEqual(promtailStages.filter((s) => s.template).map((s) => s.template.template));
    expect(alloyRaw('regex')).toEqual(promtail.scrape_configs[0].relabel_configs.filter((r: any) => r.regex).map((r: any) => r.regex));
    const json = alloyBlock(alloyBlock(alloy, 'loki.process "pods"'), 'stage.json');
    for (const [field, expr] of Object.entries(promtailStages.find((s) => s.json).json.expressions)) expect(json).toContain(`${field} = ${JSON.stringify(expr)}`);
    expect(alloy).toContain(`values = { ${STRUCTURED_METADATA.map((m) => `${m} = ""`).join(', ')} }`);
  });

  it('pushes to the same Loki URL, admitted by the same policy for its own pods', () => {
    expect(alloyBlock(alloy, 'loki.write "default"')).toContain('url = "http://loki.monitoring.svc.cluster.local:3100/loki/api/v1/push"');
    const from = objectOf(alloyStack, 'NetworkPolicy', 'loki-ingress-telemetry').spec.ingress[0].from[0];
    expect(from.podSelector.matchLabels['app.kubernetes.io/name']).toBe('alloy');
  });
});

describe('log agent: none', () => {
  it('deploys no agent and admits nothing from the agents namespace', () => {
    const objects: Manifest[] = synthStack({ logs: { agent: 'none' } });
    expect(objectsOf(objects, 'DaemonSet').map((d) => d.metadata.name)).toEqual(['node-exporter']);
    expect(objectsOf(objects, 'NetworkPolicy', 'loki-ingress-telemetry')).toEqual([]);
    expect(objectOf(objects, 'StatefulSet', 'loki')).toBeTruthy();
  });
});
