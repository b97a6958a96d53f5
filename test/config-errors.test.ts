import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../charts/profiles';
import { configErrorOf } from './helpers/config-error';

const errorOf = configErrorOf;

const secret = { name: 'db', key: 'password' };

describe('invalid configuration fails with the field path and what to write', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['unknown profile', { profile: 'enterprise' }, /profile: expected one of "homelab", "production", got "enterprise"/],
    ['misspelt field', { prometheus: { retention: '30d' } }, /prometheus: unknown field\(s\) "retention"/],
    ['bad duration', { prometheus: { retentionTime: '15 days' } }, /prometheus\.retentionTime: expected a Prometheus duration such as "30s", "5m", "15d" \(got "15 days"\)/],
    ['bad size unit', { prometheus: { retentionSize: '8GiB' } }, /prometheus\.retentionSize: expected a size with a unit Prometheus accepts.*\(got "8GiB"\)/],
    ['bad quantity', { prometheus: { storage: { size: '10 gigs' } } }, /prometheus\.storage\.size: expected a Kubernetes quantity/],
    ['zero replicas', { alertmanager: { replicas: 0 } }, /alertmanager\.replicas: .*>=1.*\(got 0\)/],
    ['bad namespace name', { namespaces: { monitoring: 'Monitoring' } }, /namespaces\.monitoring: expected a DNS-1123 label/],
    ['same namespaces', { namespaces: { monitoring: 'obs', agents: 'obs' } }, /namespaces\.agents: must differ from namespaces\.monitoring/],
    ['duplicate target', { scrapeTargets: [{ name: 'api', namespace: 'a', selector: { app: 'a' }, port: 80 }, { name: 'api', namespace: 'b', selector: { app: 'b' }, port: 80 }] }, /scrapeTargets\[1\]\.name: duplicate name "api" \(also at scrapeTargets\.0\)/],
    ['target named like a built-in job', { scrapeTargets: [{ name: 'prometheus', namespace: 'a', selector: { app: 'a' }, port: 80 }] }, /scrapeTargets\[0\]\.name: "prometheus" is the name of a built-in job/],
    ['empty selector', { scrapeTargets: [{ name: 'api', namespace: 'a', selector: {}, port: 80 }] }, /scrapeTargets\[0\]\.selector: expected at least one label/],
    ['health check URL', { healthChecks: [{ name: 'api', url: 'api:3000/health' }] }, /healthChecks\[0\]\.url: expected an absolute http/],
    ['probe timeout not below interval', { healthChecks: [{ name: 'api', url: 'http://api/health', interval: '10s', timeout: '10s' }] }, /healthChecks\[0\]\.timeout: timeout 10s must be shorter than interval 10s/],
    ['health checks without blackbox', { blackboxExporter: { enabled: false }, healthChecks: [{ name: 'api', url: 'http://api/health' }] }, /blackboxExporter\.enabled: health checks are declared \(api\)/],
    ['scrape timeout above interval', { prometheus: { scrapeInterval: '15s', scrapeTimeout: '20s' } }, /prometheus\.scrapeTimeout: scrapeTimeout 20s must not exceed scrapeInterval 15s/],
    ['password inline in the Redis URL', { redis: [{ name: 'cache', address: 'redis://:hunter2@redis:6379' }] }, /redis\[0\]\.address: holds a user or password \(user:password@\).*set `username` and `password`/],
    ['inline secret instead of a Secret reference', { postgres: [{ name: 'db', host: 'pg', username: secret, password: 'hunter2' }] }, /postgres\[0\]\.password: expected a Secret reference \{ name, key \}: create the Secret with `kubectl create secret generic/],
    ['secret header on remote write', { prometheus: { remoteWrite: [{ name: 'm', url: 'http://m/push', headers: { Authorization: 'Bearer abc' } }] } }, /prometheus\.remoteWrite\[0\]\.headers\.Authorization: header "Authorization" carries a secret/],
    ['two kinds of remote-write auth', { prometheus: { remoteWrite: [{ name: 'm', url: 'http://m/push', bearerToken: secret, basicAuth: { username: 'u', password: secret } }] } }, /prometheus\.remoteWrite\[0\]: set basicAuth or bearerToken, not both/],
  ];
  for (const [name, config, message] of cases) {
    it(name, () => {
      expect(errorOf(config)).toMatch(message);
    });
  }

  it('never echoes an inline secret value back', () => {
    expect(errorOf({ postgres: [{ name: 'db', host: 'pg', username: secret, password: 'hunter2' }] })).not.toContain('hunter2');
  });

  it('lists every problem at once', () => {
    const message = errorOf({ prometheus: { replicas: 0, retentionTime: 'x' } });
    expect(message).toMatch(/^Invalid Vigil configuration:/);
    expect(message).toContain('prometheus.replicas');
    expect(message).toContain('prometheus.retentionTime');
  });
});

describe('valid configuration', () => {
  it('resolves the homelab defaults', () => {
    const c = resolveConfig();
    expect(c.profile).toBe('homelab');
    expect(c.prometheus).toMatchObject({ replicas: 1, retentionTime: '15d', retentionSize: '8GB', storage: { size: '10Gi' } });
    expect(c.alertmanager.replicas).toBe(1);
  });

  it('lets the user override a profile value without losing the rest of the profile', () => {
    const c = resolveConfig({ profile: 'production', prometheus: { retentionTime: '30d' } });
    expect(c.prometheus).toMatchObject({ replicas: 2, retentionTime: '30d', storage: { size: '100Gi' } });
  });
});
