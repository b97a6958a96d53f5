import { Construct } from 'constructs';
import { z } from 'zod';
import { REDIS_EXPORTER } from '../alerts/metric-catalogue';
import { redisRulePack } from '../alerts/packs/redis';
import { dnsLabel, namedList, secretKeyRef } from '../lib/validators';
import { InstanceExporter, InstanceExporterProps, InstanceExporterSpec, instanceExporterComponent } from './instance-exporter';

/** One Redis server in the `redis` list of the configuration. */
export const redisInstanceSchema = z.strictObject({
  name: dnsLabel.describe('Name of the Redis instance; the `redis` label of its series and part of the exporter\'s name.'),
  address: z.string().regex(/^rediss?:\/\/[^\s:/]+(:\d+)?$/, 'expected redis://host:port or rediss://host:port (no password in the URL: use `password`)').describe('Address, `redis://host:6379` or `rediss://` for TLS.'),
  username: z.string().optional().describe('ACL user name, if the server uses ACLs.'),
  password: secretKeyRef.optional().describe('Secret key holding the password.'),
});
export type RedisInstanceInput = z.input<typeof redisInstanceSchema>;
export type RedisInstance = z.output<typeof redisInstanceSchema>;

/** The `redis` section: Redis servers, one redis-exporter each. */
export const redisInstancesSchema = namedList(redisInstanceSchema, 'redis').describe('Redis servers, one redis-exporter each.');

const SPEC: InstanceExporterSpec = { component: 'redis-exporter', image: 'redisExporter', port: 9121, probePath: '/health' };

/** Properties of {@link RedisExporter}. */
export interface RedisExporterProps extends InstanceExporterProps {
  /** The server to watch. */
  readonly redis: RedisInstanceInput;
}

/** One redis-exporter for one Redis server; the password comes from the user's Secret. */
export class RedisExporter extends InstanceExporter {
  constructor(scope: Construct, id: string, props: RedisExporterProps) {
    const r = redisInstanceSchema.parse(props.redis);
    super(scope, id, SPEC, r.name, [
      { name: 'REDIS_ADDR', value: r.address },
      ...(r.username ? [{ name: 'REDIS_USER', value: r.username }] : []),
      ...(r.password ? [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: r.password.name, key: r.password.key } } }] : []),
    ], props);
  }
}

/** The stack component: one exporter per declared server and the `redis` pack (with `RedisDown`). */
export const redisExporterComponent = instanceExporterComponent<RedisInstance>({
  spec: SPEC,
  instances: (c) => c.redis,
  instanceLabel: 'redis',
  catalogues: [REDIS_EXPORTER],
  rulePacks: () => [redisRulePack()],
  construct: (scope, r, props) => new RedisExporter(scope, r.name, { ...props, redis: r }),
});
