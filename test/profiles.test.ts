import { describe, expect, it } from 'vitest';
import { requestedResources } from '../lib/resource-totals';
import { objectOf, objectsOf, synthStack } from './helpers/synth';

const MiB = 2 ** 20;

describe('homelab profile', () => {
  const objects = synthStack();

  it('runs one replica of everything', () => {
    for (const o of [...objectsOf(objects, 'StatefulSet'), ...objectsOf(objects, 'Deployment')]) expect(o.spec.replicas, o.metadata.name).toBe(1);
  });

  it('leaves most of a 2-CPU / 4-GiB node to the apps it watches', () => {
    const { total } = requestedResources(objects);
    // What the scheduler reserves: a quarter of the CPU and under a third of the memory.
    expect(total.cpuMillis).toBeLessThanOrEqual(500);
    expect(total.memoryBytes).toBeLessThanOrEqual(1280 * MiB);
    // Even with every component at its memory limit at once, the stack alone stays inside the node.
    expect(total.memoryLimitBytes).toBeLessThan(4096 * MiB);
  });

  it('runs Alertmanager without clustering', () => {
    const args: string[] = objectOf(objects, 'StatefulSet', 'alertmanager').spec.template.spec.containers[0].args;
    expect(args).toContain('--cluster.listen-address=');
    expect(args.some((a) => a.startsWith('--cluster.peer'))).toBe(false);
  });
});

describe('production profile', () => {
  const objects = synthStack({ profile: 'production' });

  it('runs two identical Prometheus replicas with larger volumes', () => {
    const sts = objectOf(objects, 'StatefulSet', 'prometheus');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('100Gi');
    expect(sts.spec.template.spec.containers[0].env).toEqual([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
  });

  it('forms a three-replica Alertmanager gossip cluster over TCP and UDP 9094', () => {
    const sts = objectOf(objects, 'StatefulSet', 'alertmanager');
    expect(sts.spec.replicas).toBe(3);
    const args: string[] = sts.spec.template.spec.containers[0].args;
    expect(args.filter((a) => a.startsWith('--cluster.peer='))).toEqual(
      [0, 1, 2].map((i) => `--cluster.peer=alertmanager-${i}.alertmanager-headless.monitoring.svc.cluster.local:9094`));
    expect(args).toContain('--cluster.listen-address=0.0.0.0:9094');
    expect(args).toContain('--cluster.advertise-address=$(POD_IP):9094');
    const headless = objectOf(objects, 'Service', 'alertmanager-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['9093/TCP', '9094/TCP', '9094/UDP']);
    // Gossip goes pod to pod by name; the load-balanced ClusterIP Service carries the API only.
    expect(objectOf(objects, 'Service', 'alertmanager').spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['9093/TCP']);
    const policy = objectOf(objects, 'NetworkPolicy', 'alertmanager-ingress');
    expect(policy.spec.ingress[1].ports).toEqual([{ port: 9094, protocol: 'TCP' }, { port: 9094, protocol: 'UDP' }]);
  });

  it('spreads replicas across nodes and protects them with PodDisruptionBudgets', () => {
    for (const name of ['prometheus', 'alertmanager']) {
      const spec = objectOf(objects, 'StatefulSet', name).spec.template.spec;
      expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
      expect(objectOf(objects, 'PodDisruptionBudget', name).spec.maxUnavailable).toBe(1);
    }
  });

  it('can require spreading instead of preferring it', () => {
    const spec = objectOf(synthStack({ profile: 'production', spread: 'required' }), 'StatefulSet', 'alertmanager').spec.template.spec;
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
  });
});
