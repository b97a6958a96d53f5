import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REMOTE_WRITE_RESERVED_HEADERS, RemoteWrite } from '../charts/config';
import { ConfigError, resolveConfig } from '../charts/profiles';
import { renderPrometheusConfig } from '../charts/prometheus-config';
import { run } from './helpers/run';
import { describeWithPinned } from './helpers/tools';

/**
 * Prometheus refuses to start when remote_write `headers` sets a header it sets itself
 * (`reservedHeaders` in config/config.go at v3.14.0). Synth refuses them first, naming the header.
 */
const problem = (headers: Record<string, string>): string => {
  try {
    resolveConfig({ prometheus: { remoteWrite: [{ name: 'mimir', url: 'http://mimir/api/v1/push', headers }] } });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return '';
};

// Spelt as a user would, in any case.
const SPELT = ['Host', 'Content-Encoding', 'Content-Length', 'Content-Type', 'User-Agent', 'Connection', 'Keep-Alive',
  'Proxy-Authenticate', 'Proxy-Authorization', 'WWW-Authenticate', 'Accept-Encoding',
  'X-Prometheus-Remote-Write-Version', 'X-Prometheus-Remote-Read-Version', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256'];

describe('remote-write headers Prometheus reserves', () => {
  it('covers every reserved header of config/config.go', () => {
    expect(SPELT.map((h) => h.toLowerCase()).sort()).toEqual([...REMOTE_WRITE_RESERVED_HEADERS].sort());
  });

  for (const header of SPELT) {
    it(`refuses "${header}" with the header named`, () => {
      expect(problem({ [header]: 'x' })).toContain(`prometheus.remoteWrite[0].headers.${header}: header "${header}" is reserved`);
    });
  }

  it('accepts an ordinary header such as X-Scope-OrgID', () => {
    expect(problem({ 'X-Scope-OrgID': 'home' })).toBe('');
  });
});

describeWithPinned(['promtool'], 'remote-write headers: the pinned promtool refuses what synth refuses', ({ promtool }) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rw-headers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const check = (headers: Record<string, string>) => {
    const remoteWrite: RemoteWrite[] = [{ name: 'mimir', url: 'http://mimir/api/v1/push', headers }];
    // Rendered without the schema in front, so promtool is the judge.
    const yml = renderPrometheusConfig({ scrapeInterval: '30s', scrapeTimeout: '10s', evaluationInterval: '30s', externalLabels: {}, alertmanagers: ['alertmanager:9093'], jobs: [], remoteWrite });
    const file = join(dir, `${Object.keys(headers).join('_') || 'none'}.yml`);
    writeFileSync(file, yml);
    return run(promtool, ['check', 'config', '--syntax-only', file]);
  };
  for (const header of SPELT) {
    it(`"${header}"`, () => {
      const r = check({ [header]: 'x' });
      expect(r.output).toContain('is a reserved header');
      expect(r.status).not.toBe(0);
    });
  }
  it('X-Scope-OrgID passes', () => expect(check({ 'X-Scope-OrgID': 'home' }).status).toBe(0));
});
