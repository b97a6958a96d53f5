import { describe, expect, it } from 'vitest';
import { IMAGES } from '../lib/images';
import { productionConfig } from './fixtures/configs';
import { EXAMPLES, exampleObjects } from './helpers/examples';
import { Manifest, objectOf, objectsOf, podTemplates, synthStack } from './helpers/synth';

const stacks: Array<[string, Manifest[]]> = [
  ['default', synthStack()],
  ['production', synthStack(productionConfig)],
  ['Alloy and collector', synthStack({ logs: { agent: 'alloy' }, otelCollector: { enabled: true } })],
  ...EXAMPLES.map((e): [string, Manifest[]] => [`${e.name} example`, exampleObjects(e)]),
];
const HOST_AGENTS = new Set(['node-exporter', 'promtail', 'alloy']);
/**
 * The node log agents run as UID 0 because the kubelet writes container logs as root-owned files
 * readable by their owner only; every capability is dropped, so root reads them as their owner and
 * nothing more. They write one host directory, their read positions (charts/log-agent.ts).
 */
const LOG_AGENTS = new Set(['promtail', 'alloy']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

for (const [name, objects] of stacks) {
  describe(`hardening of the ${name} stack`, () => {
    const pods = podTemplates(objects);
    const containers = pods.flatMap((p) => p.spec.containers.map((c: any) => ({ owner: p.owner.metadata.name, c })));

    it('has workloads to check', () => {
      expect(pods.length).toBeGreaterThanOrEqual(5);
    });

    it('labels every object with its component, part-of and managed-by', () => {
      for (const o of objects) {
        const l = o.metadata.labels ?? {};
        expect(l['app.kubernetes.io/part-of'], `${o.kind}/${o.metadata.name}`).toBe('vigil');
        expect(l['app.kubernetes.io/managed-by'], `${o.kind}/${o.metadata.name}`).toBe('cdk8s');
        // Namespace-wide objects belong to no component: the namespaces, their default-deny policies, the agents' quota.
        if (!['Namespace', 'ResourceQuota'].includes(o.kind) && o.metadata.name !== 'default-deny-ingress') expect(l['app.kubernetes.io/name'], `${o.kind}/${o.metadata.name}`).toBeTruthy();
      }
    });

    it('puts namespaced objects in a namespace and cluster-scoped ones in none', () => {
      for (const o of objects) {
        if (CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBeUndefined();
        else expect(['monitoring', 'monitoring-agents'], `${o.kind}/${o.metadata.name}`).toContain(o.metadata.namespace);
      }
    });

    it('never selects on a version label', () => {
      for (const p of pods) expect(Object.keys(p.owner.spec.selector.matchLabels).some((k) => k.includes('version'))).toBe(false);
    });

    it('runs only pinned images from the image table', () => {
      const pinned = new Set(Object.values(IMAGES).map((i) => i.image));
      for (const { owner, c } of containers) {
        expect(pinned.has(c.image), `${owner}: ${c.image}`).toBe(true);
        expect(c.image).toMatch(/:v?\d+\.\d+\.\d+$/);
      }
    });

    it('sets CPU and memory requests and a memory limit on every container', () => {
      for (const { owner, c } of containers) {
        expect(c.resources.requests.cpu, owner).toBeTruthy();
        expect(c.resources.requests.memory, owner).toBeTruthy();
        expect(c.resources.limits.memory, owner).toBeTruthy();
      }
    });

    it('probes readiness and liveness of every container', () => {
      for (const { owner, c } of containers) {
        expect(c.readinessProbe?.httpGet?.path, owner).toMatch(/^\//);
        expect(c.livenessProbe?.httpGet?.path, owner).toMatch(/^\//);
      }
    });

    it('runs every container non-root, read-only, without capabilities or privilege escalation', () => {
      for (const { owner, c } of containers) {
        expect(c.securityContext, owner).toMatchObject({
          readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
          capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.securityContext.capabilities.add, owner).toBeUndefined();
        if (LOG_AGENTS.has(owner)) {
          expect(c.securityContext, owner).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
        } else {
          expect(c.securityContext.runAsNonRoot, owner).toBe(true);
          expect(c.securityContext.runAsUser, owner).toBeGreaterThan(0);
        }
      }
      for (const p of pods) {
        const root = LOG_AGENTS.has(p.owner.metadata.name);
        expect(p.spec.securityContext, p.owner.metadata.name).toMatchObject({ runAsNonRoot: !root, seccompProfile: { type: 'RuntimeDefault' } });
      }
    });

    it('shares the host only with host agents, in the agents namespace', () => {
      for (const p of pods) {
        const host = p.spec.hostNetwork || p.spec.hostPID || (p.spec.volumes ?? []).some((v: any) => v.hostPath);
        if (HOST_AGENTS.has(p.owner.metadata.name)) {
          expect(p.owner.metadata.namespace).toBe('monitoring-agents');
          for (const m of p.spec.containers[0].volumeMounts) {
            // A log agent's one writable mount is its positions directory on the host.
            const positions = LOG_AGENTS.has(p.owner.metadata.name) && m.name === 'state';
            expect(m.readOnly === true || positions, `${p.owner.metadata.name}: ${m.name}`).toBe(true);
          }
          const writableHostPaths = (p.spec.volumes ?? []).filter((v: any) => v.hostPath && p.spec.containers[0].volumeMounts.some((m: any) => m.name === v.name && !m.readOnly));
          expect(writableHostPaths.map((v: any) => v.hostPath.path)).toEqual(LOG_AGENTS.has(p.owner.metadata.name) ? [`/var/lib/vigil-${p.owner.metadata.name}`] : []);
          expect(p.spec.tolerations).toEqual([{ operator: 'Exists' }]);
        } else {
          expect(host, p.owner.metadata.name).toBeFalsy();
        }
      }
    });

    it('mounts the ServiceAccount token only into pods that call the Kubernetes API', () => {
      const withToken = pods.filter((p) => p.spec.automountServiceAccountToken !== false).map((p) => p.owner.metadata.name).sort();
      // The log agent discovers its node's pods through the API.
      const agent = pods.map((p) => p.owner.metadata.name).filter((n) => LOG_AGENTS.has(n));
      expect(agent).toHaveLength(1);
      // The collector's k8sattributes processor finds the pod behind each sender.
      const collector = pods.map((p) => p.owner.metadata.name).filter((n) => n === 'otel-collector');
      const callers = ['kube-state-metrics', 'prometheus', ...agent, ...collector].sort();
      expect(withToken).toEqual(callers);
      for (const sa of objectsOf(objects, 'ServiceAccount')) expect(sa.automountServiceAccountToken, sa.metadata.name).toBe(callers.includes(sa.metadata.name));
    });

    it('gives every stateful component a PersistentVolumeClaim', () => {
      for (const sts of objectsOf(objects, 'StatefulSet')) {
        expect(sts.spec.volumeClaimTemplates?.[0]?.spec.resources.requests.storage, sts.metadata.name).toBeTruthy();
      }
      expect(objectsOf(objects, 'StatefulSet').map((s) => s.metadata.name).sort()).toEqual(['alertmanager', 'jaeger', 'loki', 'prometheus']);
    });

    it('has a PodDisruptionBudget for every Deployment and StatefulSet', () => {
      const pdbs = new Set(objectsOf(objects, 'PodDisruptionBudget').map((p) => p.metadata.name));
      for (const p of pods.filter((x) => x.owner.kind !== 'DaemonSet')) expect(pdbs.has(p.owner.metadata.name), p.owner.metadata.name).toBe(true);
    });

    it('rolls pods whose config cannot be reloaded live when the config changes', () => {
      const present = new Set(pods.map((p) => p.owner.metadata.name));
      const optional = ['promtail', 'alloy', 'otel-collector'].filter((n) => present.has(n));
      for (const n of ['alertmanager', 'blackbox-exporter', 'loki', 'jaeger', 'grafana', ...optional]) {
        const owner = objects.find((o) => ['StatefulSet', 'Deployment', 'DaemonSet'].includes(o.kind) && o.metadata.name === n)!;
        expect(owner.spec.template.metadata.annotations['checksum/config'], n).toMatch(/^[0-9a-f]{64}$/);
      }
    });

    it('denies ingress by default and admits only the flows the stack needs', () => {
      const denies = objectsOf(objects, 'NetworkPolicy', 'default-deny-ingress');
      // Both namespaces: the agents' too, so Promtail's and Alloy's HTTP ports are not open to every pod.
      expect(denies.map((d) => d.metadata.namespace).sort()).toEqual(['monitoring', 'monitoring-agents']);
      for (const deny of denies) expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      const am = objectOf(objects, 'NetworkPolicy', 'alertmanager-ingress');
      expect(am.spec.ingress[0]).toEqual({
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/part-of': 'vigil' } } }],
        ports: [{ port: 9093, protocol: 'TCP' }],
      });
      const covered = new Set(objectsOf(objects, 'NetworkPolicy').map((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name']));
      // Every pod on the pod network; node-exporter uses the host's network, which policies do not govern.
      for (const p of pods.filter((x) => !x.spec.hostNetwork)) {
        expect(covered.has(p.metadata.labels['app.kubernetes.io/name']), p.owner.metadata.name).toBe(true);
      }
    });

    it('grants kube-state-metrics and Prometheus read-only cluster access', () => {
      for (const role of objectsOf(objects, 'ClusterRole')) {
        for (const rule of role.rules) {
          expect(rule.verbs.every((v: string) => ['get', 'list', 'watch'].includes(v)), role.metadata.name).toBe(true);
          expect(rule.resources ?? []).not.toContain('secrets');
        }
      }
    });
  });
}
