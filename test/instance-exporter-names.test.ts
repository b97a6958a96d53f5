import { describe, expect, it } from 'vitest';
import type { StackConfigInput } from '../charts/config';
import { maxInstanceNameLength } from '../charts/instance-exporter';
import type { ComponentName } from '../lib/labels';
import { objectOf, synthStack } from './helpers/synth';

/**
 * Each declared database gets `<component>-<name>` objects, and a Service name is a DNS-1123 label of
 * at most 63 characters: a longer name must fail synth with the limit, not reach the API server.
 */
const secret = { name: 'db-monitor', key: 'password' };
const CASES: Array<[ComponentName, (name: string) => StackConfigInput]> = [
  ['postgres-exporter', (name) => ({ postgres: [{ name, host: 'pg.apps.svc', username: secret, password: secret }] })],
  ['redis-exporter', (name) => ({ redis: [{ name, address: 'redis://redis.apps.svc:6379' }] })],
  ['mysqld-exporter', (name) => ({ mysql: [{ name, host: 'mariadb.apps.svc', username: secret, password: secret }] })],
];

const nameOf = (length: number) => `d${'b'.repeat(length - 1)}`;

describe('per-instance exporter names fit a Service name', () => {
  for (const [component, config] of CASES) {
    const max = maxInstanceNameLength(component);

    it(`${component}: a ${max}-character name gives 63-character object names`, () => {
      const objects = synthStack(config(nameOf(max)));
      const service = objectOf(objects, 'Service', `${component}-${nameOf(max)}`);
      expect(service.metadata.name).toHaveLength(63);
    });

    it(`${component}: a longer name fails synth with the limit and what to write`, () => {
      const name = nameOf(49);
      expect(() => synthStack(config(name))).toThrow(
        `${component} "${name}": the name is 49 characters, which makes its Deployment and Service "${component}-${name}" ${component.length + 50} characters long; Kubernetes allows 63 (a Service name is a DNS-1123 label). Use a name of at most ${max} characters for this server.`);
    });
  }
});
