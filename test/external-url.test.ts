import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../charts/profiles';
import { objectOf, synthStack } from './helpers/synth';

const argsOf = (objects: ReturnType<typeof synthStack>, name: string): string[] => objectOf(objects, 'StatefulSet', name).spec.template.spec.containers[0].args;

/**
 * An external URL with a path (a reverse proxy at https://ops.example.com/prometheus/) shapes links
 * only. Without --web.route-prefix=/ Prometheus and Alertmanager take the path as the prefix of every
 * route (cmd/prometheus/main.go at v3.14.0, app/app.go at Alertmanager v0.34.0), so the probes on
 * /-/ready, the self-scrape, Prometheus' POST to /api/v2/alerts and Grafana's datasources would 404.
 */
describe('externalUrl with a path', () => {
  const objects = synthStack({
    prometheus: { externalUrl: 'https://ops.example.com/prometheus/' },
    alertmanager: { externalUrl: 'https://ops.example.com/alertmanager/' },
  });

  for (const name of ['prometheus', 'alertmanager']) {
    it(`${name} keeps serving at / while its links carry the path`, () => {
      const args = argsOf(objects, name);
      expect(args).toContain(`--web.external-url=https://ops.example.com/${name}/`);
      expect(args).toContain('--web.route-prefix=/');
      const probes = objectOf(objects, 'StatefulSet', name).spec.template.spec.containers[0];
      expect(probes.readinessProbe.httpGet.path).toBe('/-/ready');
    });
  }

  it('changes nothing when no external URL is set', () => {
    const defaults = synthStack();
    for (const name of ['prometheus', 'alertmanager']) expect(argsOf(defaults, name).filter((a) => a.startsWith('--web.'))).not.toContain('--web.route-prefix=/');
  });
});

describe('grafana.rootUrl with a path', () => {
  it('is refused with what to write instead: Grafana is served at the root of its host', () => {
    let message = '';
    try {
      resolveConfig({ grafana: { rootUrl: 'https://ops.example.com/grafana/' } });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/grafana\.rootUrl: a path in rootUrl \(a sub path\) is not supported.*"https:\/\/grafana\.example\.com\/"/);
  });

  it('is accepted at the root of a host, with or without the trailing slash', () => {
    for (const rootUrl of ['https://grafana.example.com/', 'https://grafana.example.com', 'http://grafana.example.com:3000/']) {
      expect(resolveConfig({ grafana: { rootUrl } }).grafana.rootUrl).toBe(rootUrl);
    }
  });
});
