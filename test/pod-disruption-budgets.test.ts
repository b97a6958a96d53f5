import { describe, expect, it } from 'vitest';
import { kubeSchemaErrors } from './helpers/kube-schema';
import { objectsOf, synthStack } from './helpers/synth';

/**
 * With the default policy (IfHealthyBudget) a pod that runs but is not Ready counts against the
 * budget, so one crash-looping replica blocks `kubectl drain` for good. `AlwaysAllow` lets unhealthy
 * pods be evicted while healthy ones stay protected (k8s.io/api policy/v1/types.go).
 */
describe('PodDisruptionBudgets', () => {
  for (const [name, config] of [['homelab', {}], ['production', { profile: 'production' as const }]] as const) {
    it(`${name}: every budget lets unhealthy pods be evicted, and the API schema accepts it`, async () => {
      const pdbs = objectsOf(synthStack(config), 'PodDisruptionBudget');
      expect(pdbs.length).toBeGreaterThan(3);
      for (const pdb of pdbs) {
        expect(pdb.spec, pdb.metadata.name).toMatchObject({ maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
        expect(await kubeSchemaErrors(pdb)).toEqual([]);
      }
    });
  }
});
