import { alertmanagerComponent } from './alertmanager';
import { blackboxExporterComponent } from './blackbox-exporter';
import type { StackComponent } from './component';
import { grafanaComponent } from './grafana';
import { jaegerComponent } from './jaeger';
import { kubeStateMetricsComponent } from './kube-state-metrics';
import { alloyComponent, promtailComponent } from './log-agent';
import { lokiComponent } from './loki';
import { mysqldExporterComponent } from './mysqld-exporter';
import { nodeExporterComponent } from './node-exporter';
import { otelCollectorComponent } from './otel-collector';
import { postgresExporterComponent } from './postgres-exporter';
import { prometheusComponent } from './prometheus';
import { redisExporterComponent } from './redis-exporter';

/**
 * Every component of the stack, in the order their scrape jobs, rule packs and dashboard links
 * appear; each deploys itself when the configuration enables it, after the components it builds on.
 * A new exporter is one module exporting a {@link StackComponent} and one line here.
 */
export const STACK_COMPONENTS: readonly StackComponent[] = [
  prometheusComponent,
  alertmanagerComponent,
  grafanaComponent,
  nodeExporterComponent,
  kubeStateMetricsComponent,
  blackboxExporterComponent,
  postgresExporterComponent,
  redisExporterComponent,
  mysqldExporterComponent,
  lokiComponent,
  promtailComponent,
  alloyComponent,
  jaegerComponent,
  otelCollectorComponent,
];
