import { Construct } from 'constructs';
import { HealthCheck } from './config';
import { checksum } from '../lib/render';
import { Resources } from '../lib/validators';
import { Workload, configMap } from '../lib/workload';
import { renderBlackboxConfig } from './blackbox-config';
import { BLACKBOX_EXPORTER } from '../alerts/metric-catalogue';
import { StackComponent } from './component';
import { moduleFor } from './blackbox-config';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import { apiObjectsOf } from './component';
import { res } from './config';

/** Properties of {@link BlackboxExporter}. */
export interface BlackboxExporterProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** @default - the `blackboxExporter.resources` default of docs/configuration.md */
  readonly resources?: Resources;
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
    const namespace = props.namespace ?? 'monitoring';
    const resources = props.resources ?? res('10m', '32Mi', '64Mi');
    const config = renderBlackboxConfig(props.healthChecks);
    configMap(this, 'config', { name: 'blackbox-exporter-config', namespace: namespace, component: 'blackbox-exporter', data: { 'blackbox.yml': config } });
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: 'blackbox-exporter',
      namespace: namespace,
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      podAnnotations: { 'checksum/config': checksum(config) },
      containers: [{
        name: 'blackbox-exporter',
        image: 'blackboxExporter',
        args: ['--config.file=/etc/blackbox-exporter/blackbox.yml', `--web.listen-address=:${BLACKBOX_PORT}`],
        ports: [{ name: 'http-metrics', port: BLACKBOX_PORT }],
        resources,
        liveness: { path: '/-/healthy', port: 'http-metrics' },
        readiness: { path: '/-/healthy', port: 'http-metrics' },
        volumeMounts: [{ name: 'config', mountPath: '/etc/blackbox-exporter', readOnly: true }],
      }],
      volumes: [{ name: 'config', configMap: { name: 'blackbox-exporter-config' } }],
      servicePorts: [{ name: 'http-metrics', port: BLACKBOX_PORT }],
    });
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/** The stack component: probes the declared health checks; its probe jobs go last in `prometheus.yml`. */
export const blackboxExporterComponent: StackComponent = {
  name: 'blackbox-exporter',
  enabled: (c) => c.blackboxExporter.enabled,
  jobNames: ['blackbox-exporter'],
  catalogues: [BLACKBOX_EXPORTER],
  scrapeJobs: (c) => {
    const ns = c.namespaces.monitoring;
    const prober = `blackbox-exporter.${ns}.svc.${c.clusterDomain}:${BLACKBOX_PORT}`;
    return [
      componentJob('blackbox-exporter', ns, 'http-metrics'),
      ...c.healthChecks.map((h) => ({
        kind: 'probe' as const, job: `health-check-${h.name}`, check: h.name, url: h.url, module: moduleFor(h),
        interval: h.interval, timeout: h.timeout, prober, labels: h.labels,
      })),
    ];
  },
  ingress: () => [{ ports: [{ port: BLACKBOX_PORT }], from: ['prometheus'] }],
  build: (ctx) => new BlackboxExporter(ctx.chart('blackbox-exporter'), 'blackbox-exporter', {
    ...ctx.common, namespace: ctx.config.namespaces.monitoring, resources: ctx.config.blackboxExporter.resources, healthChecks: ctx.config.healthChecks,
  }),
};
