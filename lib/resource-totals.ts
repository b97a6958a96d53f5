import { bytesOf, millicoresOf } from './validators';

/** Requested CPU and memory of one workload, replicas included. */
export interface WorkloadRequest {
  readonly kind: string;
  readonly name: string;
  readonly replicas: number;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
  readonly storageBytes: number;
}

type Obj = { kind: string; metadata: { name: string }; spec?: any };

/**
 * What a synthesized stack asks the scheduler for: per workload and in total. A DaemonSet counts once
 * (per node). Used by the benchmark and by the test that keeps `homelab` within a small node.
 */
export function requestedResources(objects: readonly Obj[]): { workloads: WorkloadRequest[]; total: Omit<WorkloadRequest, 'kind' | 'name' | 'replicas'> } {
  const workloads = objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((o) => {
      const replicas = o.kind === 'DaemonSet' ? 1 : o.spec.replicas ?? 1;
      const containers: any[] = o.spec.template.spec.containers;
      const sum = (f: (c: any) => number) => replicas * containers.reduce((acc, c) => acc + f(c), 0);
      const claims: any[] = o.spec.volumeClaimTemplates ?? [];
      return {
        kind: o.kind,
        name: o.metadata.name,
        replicas,
        cpuMillis: sum((c) => millicoresOf(c.resources.requests.cpu)),
        memoryBytes: sum((c) => bytesOf(c.resources.requests.memory)),
        memoryLimitBytes: sum((c) => bytesOf(c.resources.limits.memory)),
        storageBytes: replicas * claims.reduce((acc, c) => acc + bytesOf(c.spec.resources.requests.storage), 0),
      };
    });
  const total = (k: 'cpuMillis' | 'memoryBytes' | 'memoryLimitBytes' | 'storageBytes') => workloads.reduce((a, w) => a + w[k], 0);
  return { workloads, total: { cpuMillis: total('cpuMillis'), memoryBytes: total('memoryBytes'), memoryLimitBytes: total('memoryLimitBytes'), storageBytes: total('storageBytes') } };
}
