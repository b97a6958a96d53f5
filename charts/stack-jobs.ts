import { StackConfig } from './config';
import { ComponentName, selectorLabels } from '../lib/labels';
import { BLACKBOX_PORT } from './blackbox-exporter';
import { moduleFor } from './blackbox-config';
import { ScrapeJob, ServiceScrapeJob } from './scrape-jobs';

/** A job that scrapes one of the stack's own components by its Service labels and port name. */
function componentJob(component: ComponentName, namespace: string, port: string, extra: Partial<ServiceScrapeJob> = {}): ServiceScrapeJob {
  return { kind: 'service', job: component, namespace, selector: selectorLabels(component), port, serviceName: extra.instanceLabel ? undefined : component, ...extra };
}

/**
 * Every scrape job of a stack, in a fixed order: the stack itself, the cluster, annotation-driven
 * discovery, the user's typed targets, then health checks. Job names are stable; alert rules and
 * dashboards select on them.
 */
export function stackScrapeJobs(c: StackConfig): ScrapeJob[] {
  const ns = c.namespaces.monitoring;
  const jobs: ScrapeJob[] = [
    componentJob('prometheus', ns, 'http-web'),
    componentJob('alertmanager', ns, 'http-web'),
  ];
  if (c.grafana.enabled) jobs.push(componentJob('grafana', ns, 'http-web'));
  if (c.nodeExporter.enabled) jobs.push(componentJob('node-exporter', c.namespaces.agents, 'http-metrics'));
  if (c.kubeStateMetrics.enabled) {
    // honor_labels: the series describe other objects; their namespace/pod labels must win over the
    // labels of the kube-state-metrics pod itself.
    jobs.push(componentJob('kube-state-metrics', ns, 'http-metrics', { honorLabels: true }));
  }
  if (c.blackboxExporter.enabled) jobs.push(componentJob('blackbox-exporter', ns, 'http-metrics'));
  if (c.postgres.length) jobs.push(componentJob('postgres-exporter', ns, 'http-metrics', { instanceLabel: 'database' }));
  if (c.redis.length) jobs.push(componentJob('redis-exporter', ns, 'http-metrics', { instanceLabel: 'redis' }));
  if (c.loki.enabled) {
    jobs.push(componentJob('loki', ns, 'http-metrics'));
    if (c.logs.agent !== 'none') jobs.push(componentJob(c.logs.agent, c.namespaces.agents, 'http-metrics'));
  }
  if (c.jaeger.enabled) jobs.push(componentJob('jaeger', ns, 'http-metrics'));
  if (c.otelCollector.enabled) {
    jobs.push(componentJob('otel-collector', ns, 'http-metrics'));
    // Metrics apps sent over OTLP: honor_labels keeps the job/instance their service.name and
    // service.instance.id give them, instead of the collector's.
    jobs.push(componentJob('otel-collector', ns, 'http-exporter', { job: 'otel-collector-apps', honorLabels: true }));
  }
  jobs.push(
    { kind: 'kubelet', job: 'kubelet', path: '/metrics' },
    { kind: 'kubelet', job: 'cadvisor', path: '/metrics/cadvisor' },
    { kind: 'annotations', job: 'kubernetes-services', role: 'service' },
    { kind: 'annotations', job: 'kubernetes-pods', role: 'pod' },
  );
  for (const t of c.scrapeTargets) {
    jobs.push({
      kind: 'service', job: t.name, namespace: t.namespace, selector: t.selector, port: t.port,
      path: t.path, scheme: t.scheme, interval: t.interval, labels: t.labels,
    });
  }
  if (c.blackboxExporter.enabled) {
    const prober = `blackbox-exporter.${ns}.svc.${c.clusterDomain}:${BLACKBOX_PORT}`;
    for (const h of c.healthChecks) {
      jobs.push({
        kind: 'probe', job: `health-check-${h.name}`, check: h.name, url: h.url, module: moduleFor(h),
        interval: h.interval, timeout: h.timeout, prober, labels: h.labels,
      });
    }
  }
  return jobs;
}
