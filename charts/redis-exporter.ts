import { Construct } from 'constructs';
import { z } from 'zod';
import { REDIS_EXPORTER } from '../alerts/metric-catalogue';
import { redisRulePack } from '../alerts/packs/redis';
import { dnsLabel, namedList, secretKeyRef } from '../lib/validators';
import { InstanceExporter, InstanceExporterProps, InstanceExporterSpec, instanceExporterComponent } from './instance-exporter';

/**
 * A Redis URL as redis_exporter reads `REDIS_ADDR`: it hands the URL to redigo's `redis.DialURL`
 * (exporter/redis.go at v1.88.0, the latest tag the mirror has before the pinned v1.89.0), which parses
 * it with Go's url.Parse: scheme, host (a name, IPv4, or IPv6 in brackets), optional port, optional
 * database index as the path. User information is refused with its
 * own message, never echoing the value: the password belongs in a Secret.
 */
const redisAddress = z.string().superRefine((a, ctx) => {
  if (/^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]*@/i.test(a)) {
    ctx.addIssue({ code: 'custom', message: 'holds a user or password (user:password@), which would be written into the generated manifests: remove it and set `username` and `password` (a Secret reference) instead' });
  } else if (!/^rediss?:\/\/(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?)(:\d{1,5})?(\/\d{1,5})?$/.test(a)) {
    ctx.addIssue({ code: 'custom', message: 'expected redis://host:port or rediss://host:port, e.g. "redis://redis.apps.svc:6379", "redis://[fd00::5]:6379" or "redis://redis.apps.svc:6379/2" (database 2)' });
  }
});

/** One Redis server in the `redis` list of the configuration. */
export const redisInstanceSchema = z.strictObject({
  name: dnsLabel.describe('Name of the Redis instance; the `redis` label of its series and part of the exporter\'s name.'),
  address: redisAddress.describe('Address, `redis://host:6379` or `rediss://` for TLS; an IPv6 host in brackets (`redis://[fd00::5]:6379`), a database index as the path (`redis://host:6379/2`). No user or password in it: use `username` and `password`.'),
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
