import { HealthCheck } from './config';
import { toYaml } from '../lib/render';

/** The blackbox module a health check probes with: one per distinct set of expected status codes. */
export function moduleFor(check: Pick<HealthCheck, 'expectedStatus'>): string {
  const codes = [...new Set(check.expectedStatus)].sort((a, b) => a - b);
  return codes.length ? `http_${codes.join('_')}` : 'http_2xx';
}

/** Renders `blackbox.yml` with the modules the declared health checks need (`http_2xx` always). */
export function renderBlackboxConfig(checks: readonly HealthCheck[]): string {
  const modules = new Map<string, number[]>([['http_2xx', []]]);
  for (const c of checks) modules.set(moduleFor(c), [...new Set(c.expectedStatus)].sort((a, b) => a - b));
  const sorted = [...modules.entries()].sort(([a], [b]) => a.localeCompare(b));
  return toYaml({
    modules: Object.fromEntries(sorted.map(([name, codes]) => [name, {
      prober: 'http',
      // The effective timeout is the lower of this and the job's scrape_timeout.
      timeout: '10s',
      http: {
        // blackbox defaults to IPv6 first; cluster Services are IPv4 on most clusters.
        preferred_ip_protocol: 'ip4',
        ip_protocol_fallback: true,
        valid_http_versions: ['HTTP/1.1', 'HTTP/2.0'],
        follow_redirects: true,
        ...(codes.length ? { valid_status_codes: codes } : {}),
      },
    }])),
  });
}
