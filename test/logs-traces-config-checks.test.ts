import { describe, expect, it } from 'vitest';
import { StackConfigInput } from '../charts/config';
import { RELABEL_RULES } from '../charts/log-agent-pipeline';
import { resolveConfig } from '../charts/profiles';
import { applyRedaction, redactionRules } from '../lib/redaction';
import { re2MatchesEmpty, re2SyntaxProblems } from '../lib/re2';
import { configErrorOf } from './helpers/config-error';

const errorOf = configErrorOf;
const ok = (config: StackConfigInput) => expect(() => resolveConfig(config)).not.toThrow();
const retention = (selector: string): StackConfigInput => ({ loki: { streamRetention: [{ selector, period: '30d' }] } });
const s3 = { endpoint: 'minio:9000', bucket: 'logs', accessKeyId: { name: 's3', key: 'id' }, secretAccessKey: { name: 's3', key: 'secret' } };

describe('credentials never reach dist/ from logs and traces settings (issue 17 item 3)', () => {
  it('refuses user:password@ in Elasticsearch URLs, without repeating it', () => {
    const message = errorOf({ jaeger: { storage: { type: 'elasticsearch', elasticsearch: { urls: ['https://jaeger:hunter2@es.search.svc:9200'] } } } });
    expect(message).toMatch(/jaeger\.storage\.elasticsearch\.urls\[0\]: holds a credential \(user information/);
    expect(message).not.toContain('hunter2');
  });

  it('refuses an S3 endpoint in s3://KEY:SECRET@ form without printing the keys', () => {
    const message = errorOf({ loki: { storage: { type: 's3', s3: { ...s3, endpoint: 's3://AKIAEXAMPLEKEY:wJalrXUtnFEMIK7MDENG@eu-west-1/logs' } } } });
    expect(message).toMatch(/loki\.storage\.s3\.endpoint: expected host\[:port\] without a scheme, user or keys/);
    expect(message).not.toMatch(/AKIAEXAMPLEKEY|wJalrXUtnFEMIK7MDENG/);
  });
});

describe('redaction of nested and extra fields (items 4 and 5)', () => {
  it('a pino path redacts its last segment at any depth', () => {
    const rules = redactionRules(['user.ssn']);
    expect(applyRedaction('{"user":{"ssn":"123-45-6789"},"msg":"x"}', rules)).toBe('{"user":{"ssn":"[REDACTED]"},"msg":"x"}');
    expect(applyRedaction('level=info user.ssn=123-45-6789', rules)).toBe('level=info user.ssn=[REDACTED]');
    ok({ logs: { redactFields: ['user.ssn'] } });
  });

  it('an extra name matches whole keys only, so the pipeline\'s own fields survive', () => {
    const rules = redactionRules(['name', 'id']);
    const line = '{"levelname":"INFO","name":"bob","id":"7","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","request_id":"req-1"}';
    expect(JSON.parse(applyRedaction(line, rules))).toEqual({
      levelname: 'INFO', name: '[REDACTED]', id: '[REDACTED]', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7', request_id: 'req-1',
    });
    expect(applyRedaction('levelname=INFO name=bob x-request-id: r1', rules)).toBe('levelname=INFO name=[REDACTED] x-request-id: r1');
  });

  it('refuses the fields the agents read themselves', () => {
    for (const f of ['level', 'traceId', 'trace_id', 'request-id', 'stream', 'log.levelname']) {
      expect(errorOf({ logs: { redactFields: [f] } }), f).toMatch(/logs\.redactFields\[0\]: the log agents read/);
    }
  });

  it('the built-in rules are unchanged by an extra field a built-in name covers', () => {
    expect(redactionRules(['apiSecret', 'sessionToken'])).toEqual(redactionRules());
  });
});

describe('regexes that reach Loki are checked with RE2 semantics (item 6)', () => {
  it('lib/re2 refuses what Go\'s regexp refuses', () => {
    expect(re2SyntaxProblems('(?!kube-).+')[0]).toMatch(/lookaround/);
    expect(re2SyntaxProblems('(a)\\1')[0]).toMatch(/backreference/);
    expect(re2SyntaxProblems('a\\Z')[0]).toMatch(/\\Z/);
    expect(re2SyntaxProblems('a{1001}')[0]).toMatch(/at most 1000/);
    expect(re2SyntaxProblems('a++')[0]).toMatch(/possessive/);
    expect(re2SyntaxProblems('(?x)a')[0]).toMatch(/flags i, m, s and U/);
    for (const p of ['(?i)dev|staging', '(?P<n>a)', '(?<n>a)', '[[:alpha:]]+', 'a{2,1000}', '(?s:.)+', '\\Qa.b\\E']) expect(re2SyntaxProblems(p), p).toEqual([]);
  });

  it('knows which patterns match the empty string, inline flags included', () => {
    expect(re2MatchesEmpty('(?i).*')).toBe(true);
    expect(re2MatchesEmpty('(?i)dev.*')).toBe(false);
    expect(re2MatchesEmpty('a|')).toBe(true);
    expect(re2MatchesEmpty('(?!x)')).toBeUndefined();
  });

  it('refuses a lookahead and a selector that matches every stream', () => {
    expect(errorOf(retention('{namespace=~"(?!kube-).+"}'))).toMatch(/loki\.streamRetention\[0\]\.selector: .*namespace=~"\(\?!kube-\)\.\+" is not an RE2 regex.*lookaround/);
    expect(errorOf(retention('{namespace=~"(?i).*"}'))).toMatch(/matches every stream/);
    ok(retention('{namespace=~"(?i)dev|staging"}'));
  });
});

describe('durations Go refuses or that keep nothing (item 7)', () => {
  it('refuses zero and more than Go\'s int64 nanoseconds', () => {
    expect(errorOf({ jaeger: { ttl: '0s' } })).toMatch(/jaeger\.ttl: expected a duration above zero/);
    expect(errorOf({ jaeger: { ttl: '300y' } })).toMatch(/jaeger\.ttl: expected a duration below 2562047h/);
    expect(errorOf({ loki: { retention: '300y' } })).toMatch(/loki\.retention: expected a duration below 2562047h/);
    ok({ jaeger: { ttl: '290y' }, loki: { retention: '100y' } });
  });
});

describe('Loki accepts a full batch of the agents (item 8)', () => {
  it('refuses a burst below the agents\' 1 MiB batch', () => {
    expect(errorOf({ loki: { limits: { ingestionBurstSizeMb: 0.5 } } })).toMatch(/loki\.limits\.ingestionBurstSizeMb: a burst of 0\.5 MiB is below the log agents' batch of 1 MiB/);
    expect(errorOf({ loki: { limits: { perStreamRateLimitBurst: '512KB' } } })).toMatch(/loki\.limits\.perStreamRateLimitBurst: a per-stream burst of 512KB/);
    ok({ loki: { limits: { ingestionBurstSizeMb: 1, perStreamRateLimitBurst: '1MB' } } });
  });
});

describe('static pods\' logs are collected (item 9)', () => {
  /** Prometheus relabelling (action replace) as the agents apply it. */
  function pathOf(meta: Record<string, string>): string | undefined {
    const labels: Record<string, string> = { ...meta };
    for (const r of RELABEL_RULES) {
      const value = r.sourceLabels.map((l) => labels[l] ?? '').join(r.separator ?? ';');
      const m = new RegExp(`^(?:${r.regex ?? '(.*)'})$`).exec(value);
      if (m) labels[r.targetLabel] = (r.replacement ?? '$1').replace(/\$(\d)/g, (_, i) => m[Number(i)] ?? '');
    }
    return labels.__path__;
  }
  const base = { __meta_kubernetes_namespace: 'kube-system', __meta_kubernetes_pod_container_name: 'kube-apiserver', __meta_kubernetes_pod_name: 'kube-apiserver-cp1' };

  it('finds a mirror pod\'s directory by its config hash, and an ordinary pod\'s by its UID', () => {
    expect(pathOf({ ...base, __meta_kubernetes_pod_uid: '5d1c1f4a-mirror-uid', __meta_kubernetes_pod_annotation_kubernetes_io_config_mirror: '9a0c1b2d3e4f' }))
      .toBe('/var/log/pods/*9a0c1b2d3e4f/kube-apiserver/*.log');
    expect(pathOf({ ...base, __meta_kubernetes_pod_uid: '5d1c1f4a-pod-uid' })).toBe('/var/log/pods/*5d1c1f4a-pod-uid/kube-apiserver/*.log');
  });
});

describe('fractional memory (item 11)', () => {
  it('refuses "512m" (thousandths of a byte) for memory and volume sizes', () => {
    expect(errorOf({ loki: { resources: { requests: { cpu: '50m', memory: '512m' }, limits: { memory: '1Gi' } } } })).toMatch(/loki\.resources\.requests\.memory: expected a whole number of bytes/);
    expect(errorOf({ jaeger: { storage: { size: '10m' } } })).toMatch(/jaeger\.storage\.size: expected a whole number of bytes/);
    ok({ loki: { resources: { requests: { cpu: '50m', memory: '1.5Gi' }, limits: { memory: '2Gi' } } } });
  });
});

describe('retention rules that can never match (item 13)', () => {
  it('refuses labels streams do not have, structured metadata included', () => {
    expect(errorOf(retention('{pod="api-0"}'))).toMatch(/streams have no label "pod" \(it is structured metadata/);
    expect(errorOf(retention('{node_name="n1", namespace="dev"}'))).toMatch(/streams have no label "node_name"/);
  });

  it('refuses a level regex that matches none of the values the agents set', () => {
    expect(errorOf(retention('{level=~"ERROR|WARN"}'))).toMatch(/level=~"ERROR\|WARN" matches none of the values the log agents set/);
    ok(retention('{level=~"error|warn"}'));
    ok(retention('{service_name="api", app="api"}'));
  });
});

describe('tail sampling keeps slow traces only when it waits for them (item 14)', () => {
  it('refuses slowerThan at or above decisionWait', () => {
    expect(errorOf({ otelCollector: { enabled: true, sampling: { mode: 'tail', slowerThan: '10s', decisionWait: '10s' } } }))
      .toMatch(/otelCollector\.sampling\.slowerThan: slowerThan 10s is not below decisionWait 10s/);
    ok({ otelCollector: { enabled: true, sampling: { mode: 'tail', slowerThan: '2s', decisionWait: '10s' } } });
  });
});

describe('pushFromNamespaces with Loki off (item 18)', () => {
  it('says it does nothing', () => {
    expect(errorOf({ loki: { enabled: false, pushFromNamespaces: ['apps'] } })).toMatch(/loki\.pushFromNamespaces: Loki is disabled/);
  });
});
