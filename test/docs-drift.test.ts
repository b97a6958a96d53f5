import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { objectOf, synthStack } from './helpers/synth';
import YAML from 'yaml';

const ROOT = join(__dirname, '..');
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

/** Docs that describe the output say what the output does (issue 17 item 20). */
describe('docs match the output', () => {
  const objects = synthStack({
    mysql: [{ name: 'shop-db', host: 'mariadb.shop.svc', username: { name: 'mysql', key: 'username' }, password: { name: 'mysql', key: 'password' } }],
    postgres: [{ name: 'app-db', host: 'postgres.app.svc', username: { name: 'pg', key: 'username' }, password: { name: 'pg', key: 'password' } }],
    redis: [{ name: 'cache', address: 'redis://redis.app.svc:6379' }],
  });
  const prometheusYml = YAML.parse(objectOf(objects, 'ConfigMap', 'prometheus-config').data['prometheus.yml']);

  it('"What Prometheus scrapes" names every job of the stack\'s own components', () => {
    const section = read('docs/output.md').split('## What Prometheus scrapes')[1].split('\n## ')[0];
    const documented = new Set([...section.matchAll(/`([a-z][a-z0-9-]*)`/g)].map((m) => m[1]));
    const jobs: string[] = prometheusYml.scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(jobs).toContain('grafana');
    expect(jobs.filter((j) => !documented.has(j))).toEqual([]);
  });

  it('the exemplar paragraph does not ask for a flag the output already passes', () => {
    const args: string[] = objectOf(objects, 'StatefulSet', 'prometheus').spec.template.spec.containers[0].args;
    expect(args).toContain('--enable-feature=exemplar-storage');
    expect(read('docs/grafana.md')).not.toMatch(/which needs its `exemplar-storage` feature flag/);
  });
});
