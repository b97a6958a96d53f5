import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { StackConfig } from './config';
import { ImageName } from '../lib/images';
import { componentLabels, selectorLabels } from '../lib/labels';
import { checksum } from '../lib/render';
import { HttpProbeSpec, Workload, configMap } from '../lib/workload';
import { ALLOY_PORT, renderAlloyConfig } from './alloy-config';
import { POD_LOGS_DIR, logPipeline } from './log-agent-pipeline';
import { PROMTAIL_PORT, renderPromtailConfig } from './promtail-config';
import { StackComponent } from './component';
import type { Loki } from './loki';
import { componentJob } from './scrape-jobs';
import { ApiObject } from 'cdk8s';
import type { z } from 'zod';
import { apiObjectsOf } from './component';
import { NODE_CRITICAL_PRIORITY_CLASS } from './namespaces';
import { logsSchema } from './config-logs';

/** The two agents that can ship node logs; they render the same pipeline. */
export type LogAgentKind = 'promtail' | 'alloy';

/** Properties of {@link LogAgent}. */
export interface LogAgentProps {
  readonly agent: LogAgentKind;
  /** The host-agents namespace. */
  /** The host-agents namespace (its Pod Security level must allow host access). @default 'monitoring-agents' */
  readonly namespace?: string;
  /** The resolved `logs` section of the stack configuration. */
  readonly settings?: z.input<typeof logsSchema>;
  /** The Loki it pushes to. */
  readonly loki: Loki;
  /** Namespace of the Prometheus admitted to its metrics port (its namespace denies all other ingress). @default 'monitoring' */
  readonly prometheusNamespace?: string;
  /** @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

/** What differs between the agents; everything else is shared. */
interface AgentSpec {
  readonly image: ImageName;
  readonly port: number;
  readonly configFile: string;
  readonly args: (configPath: string, stateDir: string) => string[];
  /** The node name, for discovery of the node's own pods. */
  readonly nodeNameEnv: string;
  readonly readiness: HttpProbeSpec;
  readonly render: (o: { lokiPushUrl: string; stateDir: string; settings: StackConfig['logs'] }) => string;
}

const AGENTS: Record<LogAgentKind, AgentSpec> = {
  promtail: {
    image: 'promtail',
    port: PROMTAIL_PORT,
    configFile: 'promtail.yaml',
    args: (config) => [`-config.file=${config}`],
    // Promtail adds `spec.nodeName=$HOSTNAME` to its pod discovery by itself.
    nodeNameEnv: 'HOSTNAME',
    readiness: { path: '/ready', port: 'http-metrics', initialDelaySeconds: 10, failureThreshold: 5 },
    render: (o) => renderPromtailConfig({ lokiPushUrl: o.lokiPushUrl, positionsFile: `${o.stateDir}/positions.yaml`, pipeline: logPipeline(o.settings) }),
  },
  alloy: {
    image: 'alloy',
    port: ALLOY_PORT,
    configFile: 'config.alloy',
    args: (config, state) => [
      'run', config, `--storage.path=${state}`, `--server.http.listen-addr=0.0.0.0:${ALLOY_PORT}`,
      '--stability.level=generally-available', '--disable-reporting',
    ],
    nodeNameEnv: 'NODE_NAME',
    readiness: { path: '/-/ready', port: 'http-metrics', initialDelaySeconds: 10 },
    render: (o) => renderAlloyConfig({ lokiPushUrl: o.lokiPushUrl, pipeline: logPipeline(o.settings) }),
  },
};

/**
 * The node log agent (Promtail or Alloy) as a DaemonSet on every node, tainted ones included. It
 * finds the node's pods through the Kubernetes API (read-only access to pods), tails their files
 * under `/var/log/pods`, redacts secrets, parses JSON and pushes to Loki.
 *
 * Host access is the minimum that works: `/var/log/pods` read-only, and one writable host directory,
 * `/var/lib/vigil-<agent>`, for the read positions, so a restarted or upgraded agent resumes where it
 * stopped instead of losing or re-sending lines. The agent runs as root because the kubelet writes
 * container logs as root-owned files readable by their owner only (mode 0640 or 0600); with every
 * capability dropped, root reads them as their owner and can do nothing a capability would allow.
 * The root filesystem stays read-only and privilege escalation is off.
 */
export class LogAgent extends Construct {
  public readonly workload: Workload;

  constructor(scope: Construct, id: string, props: LogAgentProps) {
    super(scope, id);
    const spec = AGENTS[props.agent];
    const ns = props.namespace ?? 'monitoring-agents';
    const settings = logsSchema.parse(props.settings ?? {});
    const name = props.agent;
    const configDir = `/etc/${name}`;
    const stateDir = `/var/lib/vigil-${name}`;
    const config = spec.render({ lokiPushUrl: props.loki.pushUrl, stateDir, settings });
    configMap(this, 'config', { name: `${name}-config`, namespace: ns, component: name, data: { [spec.configFile]: config } });

    const root: k8s.SecurityContext = {
      runAsNonRoot: false,
      runAsUser: 0,
      runAsGroup: 0,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };

    this.workload = new Workload(this, 'workload', {
      kind: 'DaemonSet',
      component: name,
      namespace: ns,
      imagePullPolicy: props.imagePullPolicy,
      // Discovery of the node's pods through the API.
      automountServiceAccountToken: true,
      // The agent reads its configuration only at start.
      podAnnotations: { 'checksum/config': checksum(config) },
      containers: [{
        name,
        image: spec.image,
        args: spec.args(`${configDir}/${spec.configFile}`, stateDir),
        env: [{ name: spec.nodeNameEnv, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        ports: [{ name: 'http-metrics', port: spec.port }],
        resources: settings.resources,
        readiness: spec.readiness,
        liveness: { path: '/metrics', port: 'http-metrics', periodSeconds: 30, failureThreshold: 5 },
        volumeMounts: [
          { name: 'config', mountPath: configDir, readOnly: true },
          { name: 'pod-logs', mountPath: POD_LOGS_DIR, readOnly: true },
          { name: 'state', mountPath: stateDir },
        ],
        securityContext: root,
      }],
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'pod-logs', hostPath: { path: POD_LOGS_DIR, type: 'Directory' } },
        { name: 'state', hostPath: { path: stateDir, type: 'DirectoryOrCreate' } },
      ],
      podOverrides: {
        securityContext: { runAsNonRoot: false, runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        // Logs of every node, control plane and tainted nodes included.
        tolerations: [{ operator: 'Exists' }],
        // Admitted outside kube-system by the ResourceQuota in charts/namespaces.ts.
        priorityClassName: NODE_CRITICAL_PRIORITY_CLASS,
      },
      servicePorts: [{ name: 'http-metrics', port: spec.port }],
    });

    // Read-only access to pods, the one resource discovery reads.
    this.workload.addClusterRole([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }]);
    // Only Prometheus reaches the agent's HTTP port (metrics; Alloy also serves its UI and API there).
    new k8s.KubeNetworkPolicy(this, 'ingress', {
      metadata: { name: `${name}-ingress`, namespace: ns, labels: componentLabels(name) },
      spec: {
        podSelector: { matchLabels: selectorLabels(name) },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.prometheusNamespace ?? 'monitoring' } },
            podSelector: { matchLabels: selectorLabels('prometheus') },
          }],
          ports: [{ port: k8s.IntOrString.fromNumber(spec.port), protocol: 'TCP' }],
        }],
      },
    });
  }

  /** Its ApiObjects: the escape hatch for what the props do not cover. */
  public get apiObjects(): ApiObject[] {
    return apiObjectsOf(this);
  }
}

/**
 * The stack component of one log agent: deployed on every node when Loki runs and `logs.agent` names
 * it. Its DaemonSet lives with the host agents; Loki admits its pushes (see the Loki component).
 */
function logAgentComponent(agent: LogAgentKind): StackComponent {
  return {
    name: agent,
    enabled: (c) => c.loki.enabled && c.logs.agent === agent,
    after: ['loki'],
    jobNames: [agent],
    scrapeJobs: (c) => [componentJob(agent, c.namespaces.agents, 'http-metrics')],
    build: (ctx) => {
      const loki = ctx.built<Loki>('loki');
      if (!loki) throw new Error(`the ${agent} log agent needs Loki, which is not deployed`);
      return new LogAgent(ctx.chart(agent), agent, {
        agent, namespace: ctx.config.namespaces.agents, settings: ctx.input.logs, loki, imagePullPolicy: ctx.common.imagePullPolicy,
        prometheusNamespace: ctx.config.namespaces.monitoring,
      });
    },
  };
}

/** Promtail as the node log agent (`logs.agent: 'promtail'`). */
export const promtailComponent = logAgentComponent('promtail');
/** Grafana Alloy as the node log agent (`logs.agent: 'alloy'`). */
export const alloyComponent = logAgentComponent('alloy');
