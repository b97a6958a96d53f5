import { Construct } from 'constructs';
import { PostgresInstance } from './config';
import { Resources } from '../lib/validators';
import { Workload } from '../lib/workload';

/** Properties of {@link PostgresExporter}. */
export interface PostgresExporterProps {
  readonly namespace: string;
  readonly database: PostgresInstance;
  readonly resources: Resources;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
  /** @default true */
  readonly podDisruptionBudget?: boolean;
}

/**
 * One postgres-exporter for one PostgreSQL server. The credentials come from the user's Secret as
 * environment variables (secretKeyRef), so no password is ever written to the manifests. The role
 * needs `GRANT pg_monitor TO <user>` (see the README).
 */
export class PostgresExporter extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    super(scope, id);
    const db = props.database;
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'postgres-exporter',
      instance: db.name,
      name: `postgres-exporter-${db.name}`,
      namespace: props.namespace,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      containers: [{
        name: 'postgres-exporter',
        image: 'postgresExporter',
        args: ['--web.listen-address=:9187'],
        env: [
          { name: 'DATA_SOURCE_URI', value: `${db.host}:${db.port}/${db.database}?sslmode=${db.sslMode}` },
          { name: 'DATA_SOURCE_USER', valueFrom: { secretKeyRef: { name: db.username.name, key: db.username.key } } },
          { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: { name: db.password.name, key: db.password.key } } },
        ],
        ports: [{ name: 'http-metrics', port: 9187 }],
        resources: props.resources,
        liveness: { path: '/', port: 'http-metrics' },
        readiness: { path: '/', port: 'http-metrics' },
      }],
      servicePorts: [{ name: 'http-metrics', port: 9187 }],
    });
  }
}
