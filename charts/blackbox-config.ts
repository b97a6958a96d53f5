import { HealthCheck } from './config';
import { toYaml } from '../lib/render';

/** The module settings a health check decides: which status codes count, how long a probe may take, whether redirects are followed. */
interface ModuleSettings {
  readonly codes: number[];
  readonly timeout: string;
  readonly followRedirects: boolean;
}

/** The timeout of the `http_2xx` module every configuration has, for probes that are not typed health checks. */
const GENERIC_TIMEOUT = '10s';

function settingsOf(check: Pick<HealthCheck, 'expectedStatus' | 'timeout'>): ModuleSettings {
  const codes = [...new Set(check.expectedStatus)].sort((a, b) => a - b);
  // A followed redirect reports the final response's status, so an expected 3xx could never be seen.
  return { codes, timeout: check.timeout, followRedirects: !codes.some((c) => c >= 300 && c < 400) };
}

/**
 * The blackbox module a health check probes with: one per distinct setting (status codes, timeout,
 * redirects), named after them, e.g. `http_2xx_5s` or `http_301_10s_noredirect`.
 */
export function moduleFor(check: Pick<HealthCheck, 'expectedStatus' | 'timeout'>): string {
  const s = settingsOf(check);
  return `http_${s.codes.length ? s.codes.join('_') : '2xx'}_${s.timeout}${s.followRedirects ? '' : '_noredirect'}`;
}

/**
 * Renders `blackbox.yml` with the modules the declared health checks need, and `http_2xx` always.
 * A module's timeout is its check's: blackbox-exporter stops a probe at the lower of the module's
 * timeout and Prometheus' scrape timeout less its offset (`getTimeout` in prober/handler.go at
 * v0.28.0), and the probe job's scrape timeout is the check's timeout too. `follow_redirects` is
 * prometheus/common's HTTP client setting, which the http prober inlines (config/config.go at v0.28.0).
 */
export function renderBlackboxConfig(checks: readonly Pick<HealthCheck, 'expectedStatus' | 'timeout'>[]): string {
  const modules = new Map<string, ModuleSettings>([['http_2xx', { codes: [], timeout: GENERIC_TIMEOUT, followRedirects: true }]]);
  for (const c of checks) modules.set(moduleFor(c), settingsOf(c));
  const sorted = [...modules.entries()].sort(([a], [b]) => a.localeCompare(b));
  return toYaml({
    modules: Object.fromEntries(sorted.map(([name, s]) => [name, {
      prober: 'http',
      timeout: s.timeout,
      http: {
        // blackbox defaults to IPv6 first; cluster Services are IPv4 on most clusters.
        preferred_ip_protocol: 'ip4',
        ip_protocol_fallback: true,
        valid_http_versions: ['HTTP/1.1', 'HTTP/2.0'],
        follow_redirects: s.followRedirects,
        ...(s.codes.length ? { valid_status_codes: s.codes } : {}),
      },
    }])),
  });
}
