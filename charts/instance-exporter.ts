import { Construct } from 'constructs';
import { z } from 'zod';
import type { MetricCatalogue } from '../alerts/metric-catalogue';
import type { RulePack } from '../alerts/rule-pack';
import type { ImageName, PinnedImage } from '../lib/images';
import type { ComponentName } from '../lib/labels';
import { Resources } from '../lib/validators';
import { Workload, ContainerSpec } from '../lib/workload';
import { StackComponent, apiObjectsOf } from './component';
import type { StackConfig } from './config';
import { componentJob } from './scrape-jobs';

const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*\.?$/;
const IPV6 = /^[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}$/;

/**
 * The host of a declared server: a host name, an IPv4 address, or an IPv6 address (bare or in
 * brackets). Not `host:port` (the port has its own field), and nothing an exporter would read as a
 * scheme, a path or credentials.
 */
export function serverHost(example: { host: string; port: number }) {
  return z.string().min(1).superRefine((h, ctx) => {
    if (HOST_NAME.test(h) || IPV6.test(h.replace(/^\[(.*)\]$/, '$1'))) return;
    ctx.addIssue({
      code: 'custom',
      message: /^[^:]+:\d+$/.test(h)
        ? `expected a host without a port: put the port in \`port\`, e.g. host: "${example.host}", port: ${example.port}`
        : `expected a host name (e.g. "${example.host}"), an IPv4 address or an IPv6 address (e.g. "fd00::10")`,
    });
  });
}

/** `host:port` as Go's `net.SplitHostPort` and URL parsers read it: an IPv6 host in brackets. */
export function joinHostPort(host: string, port: number): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return `${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}

/** Properties every per-instance exporter construct takes besides its instance. */
export interface InstanceExporterProps {
  /** @default 'monitoring' */
  readonly namespace?: string;
  /** @default - 10m CPU, 32Mi memory requested, 64Mi limit */
  readonly resources?: Resources;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
  /** @default true */
  readonly podDisruptionBudget?: boolean;
}

/** The default resources of one small exporter (the `exporterResources` option). */
export const EXPORTER_RESOURCES: Resources = { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } };

/** What differs between exporters that run once per declared server (PostgreSQL, Redis, MySQL). */
export interface InstanceExporterSpec {
  readonly component: ComponentName;
  readonly image: ImageName | PinnedImage;
  /** The port its metrics are served on. */
  readonly port: number;
  /** Path of its liveness and readiness probes. */
  readonly probePath: string;
  /** @default - no arguments */
  readonly args?: string[];
}

/**
 * One exporter for one declared server: a hardened Deployment, its Service and PodDisruptionBudget,
 * named `<component>-<instance>` and labelled with the instance, so several run side by side.
 */
export class InstanceExporter extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, spec: InstanceExporterSpec, instance: string, env: ContainerSpec['env'], props: InstanceExporterProps) {
    super(scope, id);
    checkInstanceName(spec.component, instance);
    this.workload = new Workload(this, 'workload', {
      kind: 'Deployment',
      component: spec.component,
      instance,
      name: `${spec.component}-${instance}`,
      namespace: props.namespace ?? 'monitoring',
      imagePullPolicy: props.imagePullPolicy,
      podDisruptionBudget: props.podDisruptionBudget,
      containers: [{
        name: spec.component,
        image: spec.image,
        args: spec.args,
        env,
        ports: [{ name: 'http-metrics', port: spec.port }],
        resources: props.resources ?? EXPORTER_RESOURCES,
        liveness: { path: spec.probePath, port: 'http-metrics' },
        readiness: { path: spec.probePath, port: 'http-metrics' },
      }],
      servicePorts: [{ name: 'http-metrics', port: spec.port }],
    });
  }

  /** The ApiObjects of this exporter: the escape hatch for what the props do not cover. */
  public get apiObjects() {
    return apiObjectsOf(this);
  }
}

/** Longest object name: the Service is named `<component>-<instance>`, and a Service name is a DNS-1123 label. */
const MAX_OBJECT_NAME = 63;

/** The longest instance name a component allows: 63 less `<component>-`. */
export function maxInstanceNameLength(component: ComponentName): number {
  return MAX_OBJECT_NAME - component.length - 1;
}

/**
 * Refuses an instance name that makes `<component>-<instance>` longer than a Service name may be:
 * the API server would refuse the Service (and the stack would half apply). Names are the user's
 * labels (`database="orders"`), so they are capped with a message rather than silently shortened.
 */
function checkInstanceName(component: ComponentName, instance: string): void {
  const max = maxInstanceNameLength(component);
  if (instance.length > max) {
    throw new Error(`${component} "${instance}": the name is ${instance.length} characters, which makes its Deployment and Service "${component}-${instance}" ${component.length + 1 + instance.length} characters long; `
      + `Kubernetes allows ${MAX_OBJECT_NAME} (a Service name is a DNS-1123 label). Use a name of at most ${max} characters for this server.`);
  }
}

/** How the stack deploys one kind of per-instance exporter. */
export interface InstanceExporterComponentOptions<I extends { readonly name: string }> {
  readonly spec: InstanceExporterSpec;
  /** The declared servers, from the configuration. */
  readonly instances: (c: StackConfig) => readonly I[];
  /** The label naming the server on every series (`database`, `redis`). */
  readonly instanceLabel: string;
  readonly catalogues: readonly MetricCatalogue[];
  readonly rulePacks: (c: StackConfig) => RulePack[];
  /** Builds the exporter of one server. */
  readonly construct: (scope: Construct, instance: I, props: InstanceExporterProps) => Construct;
}

/**
 * The stack component of a per-instance exporter: deployed when at least one server is declared, one
 * scrape job over all of them (the instance label is the server's name), reachable by Prometheus only.
 */
export function instanceExporterComponent<I extends { readonly name: string }>(o: InstanceExporterComponentOptions<I>): StackComponent {
  const name = o.spec.component;
  return {
    name,
    enabled: (c) => o.instances(c).length > 0,
    jobNames: [name],
    catalogues: o.catalogues,
    scrapeJobs: (c) => [componentJob(name, c.namespaces.monitoring, 'http-metrics', { instanceLabel: o.instanceLabel })],
    ingress: () => [{ ports: [{ port: o.spec.port }], from: ['prometheus'] }],
    rulePacks: o.rulePacks,
    build: (ctx) => {
      const chart = ctx.chart(name);
      const c = ctx.config;
      o.instances(c).forEach((i) => o.construct(chart, i, { ...ctx.common, namespace: c.namespaces.monitoring, resources: c.exporterResources }));
      return chart;
    },
  };
}
