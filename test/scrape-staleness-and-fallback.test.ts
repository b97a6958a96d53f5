import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NEWER_SCRAPE_FIELDS, withoutKubernetesDiscovery } from './helpers/prometheus-compat';
import { run } from './helpers/run';
import { configMapData, readObjects, synthesizedSync } from './helpers/synthesized';
import { PINNED_BIN } from './helpers/tools';
import YAML from 'yaml';

const prometheusYml = configMapData(readObjects(synthesizedSync('default')), 'prometheus-config')!['prometheus.yml'];
const jobs: any[] = YAML.parse(prometheusYml).scrape_configs;
const job = (name: string) => jobs.find((j) => j.job_name === name);

/**
 * cAdvisor sends its own timestamps, and Prometheus writes no staleness marker for such series unless
 * `track_timestamps_staleness` is set (config/config.go at v3.14.0), so a deleted container's series
 * would linger for the 5-minute lookback and be counted beside its replacement during a rollout.
 */
describe('cAdvisor: staleness of explicitly timestamped series', () => {
  it('tracks the staleness of cAdvisor\'s timestamped series and keeps honouring its timestamps', () => {
    expect(job('cadvisor').track_timestamps_staleness).toBe(true);
    expect(job('cadvisor').honor_timestamps).toBeUndefined();
  });

  it('leaves the kubelet\'s own /metrics (no timestamps) as it was', () => {
    expect(job('kubelet').track_timestamps_staleness).toBeUndefined();
  });
});

/**
 * Prometheus v3 fails the scrape of a target that sends no or an unknown Content-Type unless the job
 * has `fallback_scrape_protocol` (model/textparse/interface.go at v3.14.0). Annotated pods and
 * Services are arbitrary apps, often hand-written exporters that send none.
 */
describe('annotation-discovered jobs: a fallback scrape protocol', () => {
  for (const name of ['kubernetes-pods', 'kubernetes-services']) {
    it(`${name} parses a target without Content-Type as the classic text format`, () => {
      expect(job(name).fallback_scrape_protocol).toBe('PrometheusText0.0.4');
    });
  }

  it('is not set on the stack\'s own jobs, whose exporters send a Content-Type', () => {
    expect(jobs.filter((j) => j.fallback_scrape_protocol).map((j) => j.job_name)).toEqual(['kubernetes-services', 'kubernetes-pods']);
  });
});

/** Debian's promtool on PATH (not the pinned build), if any. */
function debianPromtool(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir) === PINNED_BIN) continue;
    try {
      accessSync(join(dir, 'promtool'), constants.X_OK);
      const path = join(dir, 'promtool');
      return /version 2\./.test(run(path, ['--version']).output) ? path : undefined;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

const debian = debianPromtool();
describe.skipIf(!debian)('the Debian promtool 2.42 compatibility rewrite keeps in step', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-compat-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const check = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return run(debian!, ['check', 'config', '--syntax-only', file]);
  };

  it('drops the fields 2.42 does not know, and 2.42 then accepts the configuration', () => {
    const rewritten = withoutKubernetesDiscovery(prometheusYml);
    for (const field of NEWER_SCRAPE_FIELDS) expect(rewritten).not.toContain(field);
    const r = check('rewritten.yml', rewritten);
    expect(r.status, r.output).toBe(0);
  });

  for (const field of NEWER_SCRAPE_FIELDS) {
    it(`needs to: 2.42 refuses ${field}`, () => {
      const doc = YAML.parse(withoutKubernetesDiscovery(prometheusYml));
      doc.scrape_configs[0][field] = field === 'fallback_scrape_protocol' ? 'PrometheusText0.0.4' : true;
      expect(check(`${field}.yml`, YAML.stringify(doc)).output).toContain(`field ${field} not found`);
    });
  }
});

/**
 * The collector's prometheus exporter sends the apps' samples with their own timestamps
 * (send_timestamps), so the apps' series need the same staleness tracking, or a series an app stopped
 * sending lingers for the lookback after the exporter expired it.
 */
describe('OTLP apps\' metrics: staleness of explicitly timestamped series', () => {
  const withCollector: any[] = YAML.parse(configMapData(readObjects(synthesizedSync('canvascast')), 'prometheus-config')!['prometheus.yml']).scrape_configs;
  it('tracks it on the otel-collector-apps job only', () => {
    expect(withCollector.find((j) => j.job_name === 'otel-collector-apps').track_timestamps_staleness).toBe(true);
    expect(withCollector.find((j) => j.job_name === 'otel-collector').track_timestamps_staleness).toBeUndefined();
  });
});
