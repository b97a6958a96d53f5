import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { moduleFor, renderBlackboxConfig } from '../charts/blackbox-config';
import { StackConfigInput, retentionSizeFor } from '../charts/config';
import { postgresDataSourceUri } from '../charts/postgres-exporter';
import { renderPrometheusConfig } from '../charts/prometheus-config';
import { ConfigError, resolveConfig } from '../charts/profiles';
import { secretVolumeName, secretVolumes } from '../charts/secret-volumes';
import { configDoc, objectOf, podTemplates, synthStackInMemory } from './helpers/synth';
import { run } from './helpers/run';
import { describeWithPinned, findTool } from './helpers/tools';

/**
 * Configuration edge values that used to synthesize into output a program refuses, that silently did
 * nothing, or that crashed synth: each now fails with the field's path and what to write, or renders
 * what was meant.
 */

function errorOf(config: unknown): string {
  try {
    resolveConfig(config as StackConfigInput);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message;
  }
  throw new Error('expected the configuration to be rejected');
}
const accepts = (config: unknown) => {
  resolveConfig(config as StackConfigInput);
  return true;
};
const target = (extra: Record<string, unknown>) => ({ scrapeTargets: [{ name: 'api', namespace: 'apps', selector: { app: 'api' }, port: 'http', ...extra }] });
const check = (extra: Record<string, unknown>) => ({ healthChecks: [{ name: 'api', url: 'http://api.apps.svc:3000/health', ...extra }] });
const SECRET = 'Vigil7Qx9secret';

describe('secrets stay out of dist/: URLs and headers with credentials are refused', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a password in the remote-write URL', { prometheus: { remoteWrite: [{ name: 'm', url: `https://user:${SECRET}@mimir/api/v1/push` }] } }, /prometheus\.remoteWrite\[0\]\.url: holds a credential .*use basicAuth or bearerToken/],
    ['a user alone in the remote-write URL', { prometheus: { remoteWrite: [{ name: 'm', url: `https://${SECRET}@mimir/api/v1/push` }] } }, /prometheus\.remoteWrite\[0\]\.url: holds a credential/],
    ['a key in the remote-write query', { prometheus: { remoteWrite: [{ name: 'm', url: `https://mimir/api/v1/push?api_key=${SECRET}` }] } }, /prometheus\.remoteWrite\[0\]\.url: holds a credential/],
    ['X-Auth-Token on remote write', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://mimir/push', headers: { 'X-Auth-Token': SECRET } }] } }, /headers\.X-Auth-Token: header "X-Auth-Token" carries a secret/],
    ['Private-Token on remote write', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://mimir/push', headers: { 'Private-Token': SECRET } }] } }, /headers\.Private-Token: header "Private-Token" carries a secret/],
    ['a token-looking header value', { prometheus: { remoteWrite: [{ name: 'm', url: 'https://mimir/push', headers: { 'X-Team': `xoxb-${SECRET}` } }] } }, /headers\.X-Team: header "X-Team" carries a secret/],
    ['a password in a health check URL (also its alerts\' instance label)', check({ url: `https://user:${SECRET}@api.apps.svc/health` }), /healthChecks\[0\]\.url: holds a credential .*instance/],
    ['a token in a health check query', check({ url: `https://api.apps.svc/health?token=${SECRET}` }), /healthChecks\[0\]\.url: holds a credential/],
  ];
  for (const [name, config, message] of cases) {
    it(name, () => {
      const m = errorOf(config);
      expect(m).toMatch(message);
      expect(m).not.toContain(SECRET);
    });
  }

  it('credentials in link URLs (externalUrl, runbookBaseUrl) are refused without repeating them', () => {
    for (const config of [
      { prometheus: { externalUrl: `https://u:${SECRET}@ops.example.com/` } },
      { alertmanager: { externalUrl: `https://ops.example.com/?token=${SECRET}` } },
      { alerting: { runbookBaseUrl: `https://${SECRET}@git.example.com/runbooks/` } },
    ]) {
      const m = errorOf(config);
      expect(m).toMatch(/(externalUrl|runbookBaseUrl): holds a credential/);
      expect(m).not.toContain(SECRET);
    }
  });

  it('X-Scope-OrgID stays allowed', () => expect(accepts({ prometheus: { remoteWrite: [{ name: 'm', url: 'https://mimir/push', headers: { 'X-Scope-OrgID': 'home' } }] } })).toBe(true));
});

describe('job names: the health-check- prefix is the health checks\'', () => {
  it('a scrape target named health-check-api next to the check api fails synth (promtool refused the duplicate job)', () => {
    expect(errorOf({ ...target({ name: 'health-check-api' }), ...check({}) })).toMatch(/scrapeTargets\[0\]\.name: starts with "health-check-", the prefix of the health checks' jobs/);
  });
});

describe('Secret volume names are always DNS labels', () => {
  it('a Secret name with dots or of 57+ characters gets a valid, distinct volume name; the mount path keeps the Secret name', () => {
    const long = `a${'b'.repeat(60)}`;
    const names = ['team.alerting.slack', 'team-alerting-slack', long, `${long}c`, 'slack'];
    const volumes = names.map(secretVolumeName);
    for (const v of volumes) expect(v).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(new Set(volumes).size).toBe(names.length);
    expect(secretVolumeName('slack')).toBe('secret-slack');
    const { volumes: vs, mounts } = secretVolumes([{ name: 'team.alerting.slack', key: 'url' }], '/etc/alertmanager/secrets');
    expect(vs[0].secret?.secretName).toBe('team.alerting.slack');
    expect(mounts[0]).toMatchObject({ name: vs[0].name, mountPath: '/etc/alertmanager/secrets/team.alerting.slack' });
  });

  it('the stack renders them for a receiver Secret named with dots', () => {
    const objects = synthStackInMemory({ alertmanager: { routing: { receivers: [{ name: 'default', slack: [{ apiUrl: { name: 'team.alerting.slack', key: 'url' }, channel: '#ops' }] }] } } });
    const pod = podTemplates(objects).find((p) => p.owner.metadata.name === 'alertmanager')!;
    const names: string[] = pod.spec.volumes.map((v: { name: string }) => v.name);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(names.some((n) => n.startsWith('secret-team-alerting-slack-'))).toBe(true);
  });
});

describe('resources and sizes', () => {
  it('a memory request above its limit fails synth, directly or through the production profile', () => {
    expect(errorOf({ prometheus: { resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '1Gi' } } } })).toMatch(/prometheus\.resources\.requests\.memory: memory request 2Gi is above the limit 1Gi/);
    expect(errorOf({ profile: 'production', prometheus: { resources: { limits: { memory: '1Gi' } } } })).toMatch(/prometheus\.resources\.requests\.memory: memory request 2Gi is above the limit 1Gi/);
    expect(errorOf({ exporterResources: { requests: { cpu: '10m', memory: '65Mi' }, limits: { memory: '64Mi' } } })).toMatch(/exporterResources\.requests\.memory/);
  });

  it('a volume of size 0 fails synth', () => {
    expect(errorOf({ prometheus: { storage: { size: '0' } } })).toMatch(/prometheus\.storage\.size: expected a size above zero/);
    expect(errorOf({ alertmanager: { storage: { size: '0Gi' } } })).toMatch(/alertmanager\.storage\.size: expected a size above zero/);
  });

  it('a retention size that does not fit the volume fails synth with the largest that does', () => {
    expect(errorOf({ prometheus: { storage: { size: '20Gi' }, retentionSize: '80GB' } })).toMatch(/prometheus\.retentionSize: retentionSize 80GB does not fit in storage\.size 20Gi.*set at most 16GB/);
    expect(errorOf({ prometheus: { storage: { size: '5Gi' }, retentionSize: '8GB' } })).toMatch(/set at most 4GB/);
  });

  it('an unset retention size follows the volume (80%), in the profiles too', () => {
    expect(retentionSizeFor('10Gi')).toBe('8GB');
    expect(retentionSizeFor('1Gi')).toBe('819MB');
    expect(resolveConfig({}).prometheus.retentionSize).toBe('8GB');
    expect(resolveConfig({ profile: 'production' }).prometheus.retentionSize).toBe('80GB');
    expect(resolveConfig({ prometheus: { storage: { size: '5Gi' } } }).prometheus.retentionSize).toBe('4GB');
    expect(resolveConfig({ profile: 'production', prometheus: { storage: { size: '20Gi' } } }).prometheus.retentionSize).toBe('16GB');
  });
});

describe('clusterDomain', () => {
  for (const domain of ['', '.', 'cluster.local.', 'Cluster.Local', 'a..b', '-a.b']) {
    it(`refuses ${JSON.stringify(domain)}`, () => expect(errorOf({ clusterDomain: domain })).toMatch(/clusterDomain: expected a DNS domain/));
  }
  it('accepts a custom domain', () => expect(resolveConfig({ clusterDomain: 'k8s.example.internal' }).clusterDomain).toBe('k8s.example.internal'));
});

describe('health checks render their own settings', () => {
  it('one blackbox module per distinct status codes, timeout and redirect setting', () => {
    const checks = [
      { expectedStatus: [], timeout: '5s' },
      { expectedStatus: [301], timeout: '5s' },
      { expectedStatus: [200], timeout: '30s' },
      { expectedStatus: [200], timeout: '30s' },
    ];
    expect(checks.map(moduleFor)).toEqual(['http_2xx_5s', 'http_301_5s_noredirect', 'http_200_30s', 'http_200_30s']);
    const modules = YAML.parse(renderBlackboxConfig(checks)).modules;
    expect(Object.keys(modules)).toEqual(['http_200_30s', 'http_2xx', 'http_2xx_5s', 'http_301_5s_noredirect']);
    expect(modules.http_301_5s_noredirect).toMatchObject({ timeout: '5s', http: { follow_redirects: false, valid_status_codes: [301] } });
    expect(modules.http_200_30s).toMatchObject({ timeout: '30s', http: { follow_redirects: true } });
  });

  it('a probe job uses its check\'s module', () => {
    const prom = configDoc(synthStackInMemory({ healthChecks: [{ name: 'moved', url: 'http://old.apps.svc/', expectedStatus: [301], interval: '1m', timeout: '30s' }] }), 'prometheus-config', 'prometheus.yml');
    const job = prom.scrape_configs.find((j: { job_name: string }) => j.job_name === 'health-check-moved');
    expect(job).toMatchObject({ params: { module: ['http_301_30s_noredirect'] }, scrape_timeout: '30s' });
  });
});

describe('external labels', () => {
  it('a "$" is kept as written: doubled, as Prometheus 3 expands variables in them', () => {
    const yaml = renderPrometheusConfig({ scrapeInterval: '30s', scrapeTimeout: '10s', evaluationInterval: '30s', externalLabels: { price: '$5 per ${HOME}' }, alertmanagers: [], jobs: [], replicaLabel: 'prometheus_replica' });
    expect(YAML.parse(yaml).global.external_labels).toEqual({ price: '$$5 per $${HOME}', prometheus_replica: '${POD_NAME}' });
  });

  it('prometheus_replica is refused', () => {
    expect(errorOf({ prometheus: { externalLabels: { prometheus_replica: 'a' } } })).toMatch(/prometheus\.externalLabels\.prometheus_replica: is the label that tells replicas apart/);
  });
});

describe('databases', () => {
  const secret = { name: 'db', key: 'x' };
  const pg = (extra: Record<string, unknown>) => ({ postgres: [{ name: 'main', host: 'pg.apps.svc', username: secret, password: secret, ...extra }] });
  it('a postgres host with a port, or with other characters, is refused', () => {
    expect(errorOf(pg({ host: 'pg.apps.svc:5433' }))).toMatch(/postgres\[0\]\.host: expected a host without a port: put the port in `port`/);
    expect(errorOf(pg({ host: 'pg/apps?x=1' }))).toMatch(/postgres\[0\]\.host: expected a host name/);
  });
  it('an IPv6 host is bracketed and the database name percent-encoded in the DSN', () => {
    const db = resolveConfig(pg({ host: 'fd00::10', database: 'app?sslmode=disable' })).postgres[0];
    expect(postgresDataSourceUri(db)).toBe('[fd00::10]:5432/app%3Fsslmode%3Ddisable?sslmode=prefer');
    expect(postgresDataSourceUri(resolveConfig(pg({ host: '[fd00::10]' })).postgres[0])).toBe('[fd00::10]:5432/postgres?sslmode=prefer');
    expect(postgresDataSourceUri(resolveConfig(pg({})).postgres[0])).toBe('pg.apps.svc:5432/postgres?sslmode=prefer');
  });
  it('redis: IPv6 in brackets and a database index are accepted; a password in the URL is refused without repeating it', () => {
    expect(accepts({ redis: [{ name: 'a', address: 'redis://[fd00::5]:6379' }, { name: 'b', address: 'rediss://redis.apps.svc:6380/2' }] })).toBe(true);
    const m = errorOf({ redis: [{ name: 'a', address: `redis://:${SECRET}@h:6379` }] });
    expect(m).toMatch(/redis\[0\]\.address: holds a user or password.*set `username` and `password`/);
    expect(m).not.toContain(SECRET);
    expect(errorOf({ redis: [{ name: 'a', address: 'redis://h:6379?db=2' }] })).toMatch(/redis\[0\]\.address: expected redis:\/\/host:port/);
  });
});

describe('found by the generative test (test/config-generative.test.ts)', () => {
  it('a scrape interval of 5m or more fails synth: every series would go stale between scrapes', () => {
    expect(errorOf(target({ interval: '5m' }))).toMatch(/scrapeTargets\[0\]\.interval: interval 5m is not below 5m, Prometheus' query lookback/);
    expect(errorOf({ prometheus: { scrapeInterval: '10m', scrapeTimeout: '10s' } })).toMatch(/prometheus\.scrapeInterval: interval 10m is not below 5m/);
    expect(errorOf(check({ interval: '6m' }))).toMatch(/healthChecks\[0\]\.interval: interval 6m/);
  });
  it('a remote-write header name that is no HTTP token, or a value with a line break, fails synth', () => {
    expect(errorOf({ prometheus: { remoteWrite: [{ name: 'm', url: 'http://m/push', headers: { 'X Bad': 'a' } }] } })).toMatch(/headers\.X Bad: is not a valid HTTP header name/);
    expect(errorOf({ prometheus: { remoteWrite: [{ name: 'm', url: 'http://m/push', headers: { 'X-Team': 'a\nb' } }] } })).toMatch(/headers\.X-Team: header "X-Team" has a line break/);
  });
  it('an empty duration is a field error, not a crash', () => {
    expect(errorOf(check({ interval: '' }))).toMatch(/healthChecks\[0\]\.interval: expected a non-empty Prometheus duration/);
  });
});

describe('scrape targets', () => {
  it('a port number written as a string is refused with what to write', () => {
    expect(errorOf(target({ port: '8080' }))).toMatch(/scrapeTargets\[0\]\.port: is a number written as a string: write it as a number/);
  });
  it('a port name over 15 characters is refused', () => {
    expect(errorOf(target({ port: 'metrics-endpoint-1' }))).toMatch(/scrapeTargets\[0\]\.port: expected a port name as Kubernetes allows it: at most 15/);
  });
  it('a path with a query string is refused', () => {
    expect(errorOf(target({ path: '/metrics?format=prometheus' }))).toMatch(/scrapeTargets\[0\]\.path: expected a path without a query string/);
  });
});

describe('user labels may not replace the stack\'s', () => {
  for (const label of ['job', 'instance', 'namespace', 'pod', '__address__']) {
    it(`scrapeTargets[].labels.${label} is refused`, () => expect(errorOf(target({ labels: { [label]: 'x' } }))).toMatch(new RegExp(`scrapeTargets\\[0\\]\\.labels\\.${label}: `)));
  }
  for (const label of ['check', 'instance', 'job']) {
    it(`healthChecks[].labels.${label} is refused`, () => expect(errorOf(check({ labels: { [label]: 'x' } }))).toMatch(new RegExp(`healthChecks\\[0\\]\\.labels\\.${label}: is a label the job sets itself`)));
  }
  it('other labels stay allowed', () => expect(accepts({ ...target({ labels: { team: 'web' } }), ...check({ labels: { service: 'api' } }) })).toBe(true));
});

describe('errors keep their field, and every problem is listed', () => {
  it('malformed durations name their fields and do not hide the others', () => {
    const m = errorOf({ prometheus: { scrapeInterval: '30 s', scrapeTimeout: 'ten' }, healthChecks: [{ name: 'a', url: 'http://a', interval: 'x', timeout: '5 s' }], clusterDomain: '' });
    for (const path of ['prometheus.scrapeInterval', 'prometheus.scrapeTimeout', 'healthChecks[0].interval', 'healthChecks[0].timeout', 'clusterDomain']) expect(m).toContain(`${path}: `);
  });
  it('a malformed loki.retention names its field beside the other problems', () => {
    const m = errorOf({ loki: { retention: '7 days' }, prometheus: { scrapeInterval: 'y' } });
    expect(m).toContain('loki.retention: expected a Prometheus duration');
    expect(m).toContain('prometheus.scrapeInterval: ');
  });
  it('a root route with matchers gets its own message', () => {
    expect(errorOf({ alertmanager: { routing: { route: { matchers: ['a="b"'] } } } })).toMatch(/alertmanager\.routing\.route: the root route takes every alert: it may not have matchers; put them on a child route/);
  });
  for (const config of [null, 'homelab', [], 42]) {
    it(`config ${JSON.stringify(config)} is a ConfigError, not a crash`, () => expect(errorOf(config)).toMatch(/\(root\): expected the configuration object/));
  }
});

describe('blackbox-exporter runs the generated modules (the real program, on loopback)', () => {
  const blackbox = findTool('prometheus-blackbox-exporter');
  let server: Server;
  let exporter: ChildProcess;
  let dir: string;
  let base = '';
  beforeAll(async () => {
    if (!blackbox) return;
    server = createServer((req, res) => {
      if (req.url === '/moved') res.writeHead(301, { Location: '/ok' }).end();
      else if (req.url === '/slow') setTimeout(() => res.writeHead(200).end('ok'), 1500);
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'vigil-blackbox-'));
    const config = join(dir, 'blackbox.yml');
    writeFileSync(config, renderBlackboxConfig([{ expectedStatus: [301], timeout: '5s' }, { expectedStatus: [], timeout: '1s' }, { expectedStatus: [], timeout: '5s' }]));
    expect(run(blackbox, [`--config.file=${config}`, '--config.check']).status).toBe(0);
    const port = 19000 + Math.floor(Math.random() * 1000);
    exporter = spawn(blackbox, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    const exporterUrl = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 50; i++) {
      try {
        if ((await fetch(`${exporterUrl}/-/healthy`)).ok) break;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    base = `${base}|${exporterUrl}`;
  });
  afterAll(() => {
    exporter?.kill();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const probe = async (module: string, path: string) => {
    const [app, exporterUrl] = base.split('|');
    const text = await (await fetch(`${exporterUrl}/probe?module=${module}&target=${encodeURIComponent(app + path)}`)).text();
    return /^probe_success (\d)/m.exec(text)?.[1];
  };
  it.skipIf(!blackbox)('expectedStatus [301] succeeds on a redirect; the 2xx module follows it', async () => {
    expect(await probe('http_301_5s_noredirect', '/moved')).toBe('1');
    expect(await probe('http_2xx_5s', '/moved')).toBe('1');
    expect(await probe('http_2xx_5s', '/slow')).toBe('1');
    expect(await probe('http_2xx_1s', '/slow')).toBe('0');
  });
});

describeWithPinned(['promtool'], 'the pinned promtool loads what these settings render', ({ promtool }) => {
  it('external labels with "$", health checks with their modules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-edges-'));
    try {
      const objects = synthStackInMemory({ prometheus: { externalLabels: { price: '$5' } }, healthChecks: [{ name: 'moved', url: 'http://old.apps.svc/', expectedStatus: [301] }] });
      const file = join(dir, 'prometheus.yml');
      writeFileSync(file, objectOf(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml'].replace(/\/etc\/prometheus\/rules\/\*\.yml/, join(dir, '*.yml.none')));
      const r = run(promtool, ['check', 'config', '--syntax-only', file]);
      expect(r.status, r.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
