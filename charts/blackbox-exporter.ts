import { Construct } from 'constructs';
import { HealthCheck } from './config';
import { checksum } from '../lib/render';
import { Resources } from '../lib/validators';
import { Workload, configMap } from '../lib/workload';
import { renderBlackboxConfig } from './blackbox-config';

/** Properties of {@link BlackboxExporter}. */
export interface BlackboxExporterProps {
  readonly namespace: string;
  readonly resources: Resources;
  /** The checks whose modules the configuration must contain. */
  readonly healthChecks: readonly HealthCheck[];
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
  /** @default true */
  readonly podDisruptionBudget?: boolean;
}

export const BLACKBOX_PORT = 9115;

/** blackbox-exporter, probing the declared HTTP health checks for Prometheus. */
export class BlackboxExporter extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    super(scope, id);
    const config = renderBlackboxConfig(props.healthChecks);
    configMap(this, 'config', { name: 'blackbox-exporter-config', namespace: props.namespace, component: 'blackbox-exporter', data: { 'blackbox.yml': config } });
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'blackbox-exporter',
      namespace: props.namespace,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      podAnnotations: { 'checksum/config': checksum(config) },
      containers: [{
        name: 'blackbox-exporter',
        image: 'blackboxExporter',
        args: ['--config.file=/etc/blackbox-exporter/blackbox.yml', `--web.listen-address=:${BLACKBOX_PORT}`],
        ports: [{ name: 'http-metrics', port: BLACKBOX_PORT }],
        resources: props.resources,
        liveness: { path: '/-/healthy', port: 'http-metrics' },
        readiness: { path: '/-/healthy', port: 'http-metrics' },
        volumeMounts: [{ name: 'config', mountPath: '/etc/blackbox-exporter', readOnly: true }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'blackbox-exporter-config' } }],
      servicePorts: [{ name: 'http-metrics', port: BLACKBOX_PORT }],
    });
  }
}
