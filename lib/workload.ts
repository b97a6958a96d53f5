import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IMAGES, ImageName, PinnedImage } from './images';
import { ComponentName, componentLabels, selectorLabels } from './labels';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';
import { Resources } from './validators';

/** A named container port. */
export interface PortSpec {
  readonly name: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** An HTTP probe. */
export interface HttpProbeSpec {
  readonly path: string;
  /** Port name or number. */
  readonly port: string | number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
}

/** One container of a workload; security context, pull policy and resources are applied for you. */
export interface ContainerSpec {
  readonly name: string;
  /** Key into the pinned image table (lib/images.ts), or a pinned image a component declares itself. */
  readonly image: ImageName | PinnedImage;
  readonly args?: string[];
  /** @default - no environment */
  readonly env?: k8s.EnvVar[];
  readonly ports: PortSpec[];
  readonly resources: Resources;
  readonly liveness: HttpProbeSpec;
  readonly readiness: HttpProbeSpec;
  /** A startup budget for slow starters (Prometheus replaying its WAL). @default - none */
  readonly startup?: HttpProbeSpec;
  /** @default - no mounts */
  readonly volumeMounts?: k8s.VolumeMount[];
  /** Overrides the restricted container security context (host agents only; say why where used). @default restricted */
  readonly securityContext?: k8s.SecurityContext;
}

/** A PersistentVolumeClaim template of a StatefulSet. */
export interface VolumeClaimSpec {
  readonly name: string;
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

/** Properties of a {@link Workload}. */
export interface WorkloadProps {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly component: ComponentName;
  /** Distinguishes several workloads of one component (one postgres-exporter per database). @default - none */
  readonly instance?: string;
  /** Object name. @default - the component name */
  readonly name?: string;
  readonly namespace: string;
  /** @default 1 */
  readonly replicas?: number;
  readonly containers: ContainerSpec[];
  /** @default - none */
  readonly volumes?: k8s.Volume[];
  /** StatefulSet only. @default - none */
  readonly volumeClaims?: VolumeClaimSpec[];
  /** Mount the ServiceAccount token: only for pods that call the Kubernetes API. @default false */
  readonly automountServiceAccountToken?: boolean;
  /** Pod annotations, e.g. a config checksum that rolls the pods on change. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Ports the ClusterIP Service exposes; no Service when empty. @default - none */
  readonly servicePorts?: PortSpec[];
  /** StatefulSet only: also create `<name>-headless` for stable per-pod DNS. @default false */
  readonly headless?: boolean;
  /** Spread replicas across nodes. @default 'none' */
  readonly spread?: 'none' | 'preferred' | 'required';
  /** Create a PodDisruptionBudget (maxUnavailable 1). @default true for Deployments and StatefulSets */
  readonly podDisruptionBudget?: boolean;
  /** Grace period for a clean shutdown (Prometheus flushes its head block). @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Pod-level overrides for host agents (hostNetwork, hostPID, tolerations). @default - none */
  readonly podOverrides?: Partial<k8s.PodSpec>;
  /** The UID the pod runs as. @default - the first container's image user */
  readonly user?: number;
  /** Annotations on the Service (e.g. scrape hints). @default - none */
  readonly serviceAnnotations?: Record<string, string>;
  /** StatefulSet pod management: `Parallel` when replicas do not need ordered start. @default 'Parallel' */
  readonly podManagementPolicy?: 'Parallel' | 'OrderedReady';
  /** Pull policy of every container. @default 'IfNotPresent' */
  readonly imagePullPolicy?: string;
}

/**
 * One hardened workload: its ServiceAccount, the Deployment/StatefulSet/DaemonSet, the Services and
 * the PodDisruptionBudget, all with the component's labels. Components compose this rather than
 * repeat the same forty lines of pod spec.
 */
export class Workload extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly selector: Record<string, string>;
  public readonly serviceAccountName: string;
  public readonly headlessServiceName?: string;
  /** The labels of every object it creates. */
  public readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkloadProps) {
    super(scope, id);
    this.name = props.name ?? props.component;
    this.namespace = props.namespace;
    this.serviceAccountName = this.name;
    this.selector = selectorLabels(props.component, props.instance);
    const labels = (this.labels = componentLabels(props.component, props.instance));
    const meta = (name: string, extra: Partial<k8s.ObjectMeta> = {}): k8s.ObjectMeta => ({ name, namespace: this.namespace, labels, ...extra });
    const user = props.user ?? pinned(props.containers[0].image).user;
    const automount = props.automountServiceAccountToken ?? false;

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: meta(this.serviceAccountName),
      automountServiceAccountToken: automount,
    });

    const podSpec: k8s.PodSpec = {
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: automount,
      securityContext: restrictedPodSecurityContext(user),
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
      containers: props.containers.map((c) => renderContainer(c, props.imagePullPolicy ?? 'IfNotPresent')),
      volumes: props.volumes,
      // One replica has nothing to spread from; a required rule would only block its rollout.
      affinity: (props.replicas ?? 1) > 1 ? spreadAffinity(props.spread ?? 'none', this.selector) : undefined,
      ...props.podOverrides,
    };
    const template: k8s.PodTemplateSpec = {
      metadata: { labels, annotations: props.podAnnotations },
      spec: podSpec,
    };
    const selector = { matchLabels: this.selector };

    if (props.kind === 'DaemonSet') {
      new k8s.KubeDaemonSet(this, 'resource', {
        metadata: meta(this.name),
        spec: { selector, template, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } } },
      });
    } else if (props.kind === 'Deployment') {
      new k8s.KubeDeployment(this, 'resource', {
        metadata: meta(this.name),
        spec: {
          replicas: props.replicas ?? 1,
          selector,
          template,
          revisionHistoryLimit: 3,
          // Required anti-affinity leaves no node for a surge pod when nodes equal replicas: replace
          // one pod at a time instead of adding one first.
          ...(props.spread === 'required' && (props.replicas ?? 1) > 1
            ? { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) } } }
            : {}),
        },
      });
    } else {
      this.headlessServiceName = `${this.name}-headless`;
      const sts = new k8s.KubeStatefulSet(this, 'resource', {
        metadata: meta(this.name),
        spec: {
          replicas: props.replicas ?? 1,
          serviceName: this.headlessServiceName,
          podManagementPolicy: props.podManagementPolicy ?? 'Parallel',
          selector,
          template,
          revisionHistoryLimit: 3,
          updateStrategy: { type: 'RollingUpdate' },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
          volumeClaimTemplates: (props.volumeClaims ?? []).map((v) => ({
            metadata: { name: v.name, labels },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: v.storageClassName,
              resources: { requests: { storage: k8s.Quantity.fromString(v.size) } },
            },
          })),
        },
      });
      // The 1.27 L1 class has no `volumeMode` default to worry about, but an empty list renders as `[]`;
      // drop it so a StatefulSet without claims reads like one.
      if (!props.volumeClaims?.length) ApiObject.of(sts).addJsonPatch(JsonPatch.remove('/spec/volumeClaimTemplates'));
    }

    if (props.servicePorts?.length) {
      const ports = props.servicePorts.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol ?? 'TCP' }));
      new k8s.KubeService(this, 'service', {
        metadata: meta(this.name, { annotations: props.serviceAnnotations }),
        spec: { type: 'ClusterIP', selector: this.selector, ports },
      });
      if (this.headlessServiceName) {
        new k8s.KubeService(this, 'headless-service', {
          metadata: meta(this.headlessServiceName),
          // Peers (Alertmanager gossip) must resolve each other before they are Ready.
          spec: { clusterIp: 'None', publishNotReadyAddresses: true, selector: this.selector, ports },
        });
      }
    }

    if (props.kind !== 'DaemonSet' && (props.podDisruptionBudget ?? true)) {
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: meta(this.name),
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(1),
          selector,
          // A pod that is running but not Ready (crash-looping, stuck) may always be evicted, so it never
          // blocks a node drain; healthy pods stay under the budget. `AlwaysAllow` of
          // UnhealthyPodEvictionPolicyType in k8s.io/api policy/v1/types.go (v0.37.2); the default,
          // IfHealthyBudget, keeps an unhealthy pod whenever the budget is already spent.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }
  }

  /**
   * A ClusterRole with exactly these rules, bound to its ServiceAccount, both named
   * `vigil-<name>-<namespace>` so two stacks in one cluster do not share them. For the pods that read
   * the Kubernetes API (discovery, object metrics); every rule should be read-only.
   */
  public addClusterRole(rules: k8s.PolicyRule[]): void {
    const name = `vigil-${this.name}-${this.namespace}`;
    new k8s.KubeClusterRole(this, 'cluster-role', { metadata: { name, labels: this.labels }, rules });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name, labels: this.labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.namespace }],
    });
  }
}

function renderContainer(c: ContainerSpec, pullPolicy: string): k8s.Container {
  const image = pinned(c.image);
  return {
    name: c.name,
    image: image.image,
    imagePullPolicy: pullPolicy,
    args: c.args,
    env: c.env,
    ports: c.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
    resources: {
      requests: { cpu: k8s.Quantity.fromString(c.resources.requests.cpu), memory: k8s.Quantity.fromString(c.resources.requests.memory) },
      limits: { memory: k8s.Quantity.fromString(c.resources.limits.memory) },
    },
    livenessProbe: httpProbe(c.liveness),
    readinessProbe: httpProbe(c.readiness),
    startupProbe: c.startup && httpProbe(c.startup),
    securityContext: c.securityContext ?? restrictedContainerSecurityContext(image.user),
    volumeMounts: c.volumeMounts,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

function httpProbe(p: HttpProbeSpec): k8s.Probe {
  return {
    httpGet: { path: p.path, port: typeof p.port === 'number' ? k8s.IntOrString.fromNumber(p.port) : k8s.IntOrString.fromString(p.port) },
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 5,
    failureThreshold: p.failureThreshold ?? 3,
    initialDelaySeconds: p.initialDelaySeconds,
  };
}

/** Anti-affinity on the node for replicas of one workload. */
export function spreadAffinity(mode: 'none' | 'preferred' | 'required', selector: Record<string, string>): k8s.Affinity | undefined {
  if (mode === 'none') return undefined;
  const term = { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' };
  return mode === 'required'
    ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } }
    : { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
}

/** A ConfigMap with the component's labels. */
export function configMap(scope: Construct, id: string, props: { name: string; namespace: string; component: ComponentName; instance?: string; data: Record<string, string>; labels?: Record<string, string> }): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: { ...componentLabels(props.component, props.instance), ...props.labels } },
    data: props.data,
  });
}

/** An emptyDir volume with a size limit, for software that writes scratch files under a read-only root. */
export function scratchVolume(name: string, sizeLimit = '64Mi'): k8s.Volume {
  return { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } };
}

/** The image and UID of a container: from the image table, or as the component declares it. */
function pinned(image: ImageName | PinnedImage): PinnedImage {
  return typeof image === 'string' ? IMAGES[image] : image;
}
