import { Construct } from 'constructs';
import { RedisInstance } from './config';
import { Resources } from '../lib/validators';
import { Workload } from '../lib/workload';

/** Properties of {@link RedisExporter}. */
export interface RedisExporterProps {
  readonly namespace: string;
  readonly redis: RedisInstance;
  readonly resources: Resources;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
  /** @default true */
  readonly podDisruptionBudget?: boolean;
}

/** One redis-exporter for one Redis server; the password comes from the user's Secret. */
export class RedisExporter extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: RedisExporterProps) {
    super(scope, id);
    const r = props.redis;
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'redis-exporter',
      instance: r.name,
      name: `redis-exporter-${r.name}`,
      namespace: props.namespace,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      containers: [{
        name: 'redis-exporter',
        image: 'redisExporter',
        env: [
          { name: 'REDIS_ADDR', value: r.address },
          ...(r.username ? [{ name: 'REDIS_USER', value: r.username }] : []),
          ...(r.password ? [{ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: r.password.name, key: r.password.key } } }] : []),
        ],
        ports: [{ name: 'http-metrics', port: 9121 }],
        resources: props.resources,
        liveness: { path: '/health', port: 'http-metrics' },
        readiness: { path: '/health', port: 'http-metrics' },
      }],
      servicePorts: [{ name: 'http-metrics', port: 9121 }],
    });
  }
}
