import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = resolve(__dirname, '..', '..');

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Vigil consumed as a library: `npm pack` the project, install the tarball into a scratch cdk8s app
 * outside the repository, and synthesize one Prometheus with one rule pack from the package entry.
 */
describe('the packed library in a scratch cdk8s app', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vigil-consumer-'));
  let objects: any[] = [];

  beforeAll(() => {
    const tarball = sh('npm', ['pack', '--silent', '--pack-destination', scratch], ROOT).trim().split('\n').pop()!;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, dependencies: { vigil: `file:./${tarball}` } }));
    // Its dependencies come from the local npm cache when they are there (they are after `npm ci`).
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], scratch);
    writeFileSync(join(scratch, 'app.js'), `
const { App, Chart } = require('cdk8s');
const { Prometheus, Alertmanager, nodeRulePack } = require('vigil');
const app = new App({ outdir: 'out' });
const chart = new Chart(app, 'monitoring');
const alertmanager = new Alertmanager(chart, 'alertmanager', { namespace: 'observability' });
const prometheus = new Prometheus(chart, 'prometheus', {
  namespace: 'observability',
  settings: { retentionTime: '7d' },
  alertmanagers: [alertmanager],
});
prometheus.addRulePack(nodeRulePack());
app.synth();
`);
    sh('node', ['app.js'], scratch);
    const dir = join(scratch, 'out');
    objects = readdirSync(dir).flatMap((f) => YAML.parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS()));
  }, 600_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('synthesizes Prometheus with its settings, in the namespace given', () => {
    const sts = find('StatefulSet', 'prometheus');
    expect(sts.metadata.namespace).toBe('observability');
    expect(sts.spec.template.spec.containers[0].args).toContain('--storage.tsdb.retention.time=7d');
  });

  it('loads the rule pack added after construction', () => {
    const rules = find('ConfigMap', 'prometheus-rules-node');
    expect(Object.keys(rules.data)).toEqual(['node.yml']);
    expect(rules.data['node.yml']).toContain('alert: NodeHighCpuUsage');
    const volume = find('StatefulSet', 'prometheus').spec.template.spec.volumes.find((v: any) => v.name === 'rules');
    expect(volume.projected.sources).toEqual([{ configMap: { name: 'prometheus-rules-node' } }]);
  });

  it('sends alerts to the Alertmanager it was given, by object', () => {
    const config = YAML.parse(find('ConfigMap', 'prometheus-config').data['prometheus.yml']);
    expect(config.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager-0.alertmanager-headless.observability.svc.cluster.local:9093']);
  });
});
