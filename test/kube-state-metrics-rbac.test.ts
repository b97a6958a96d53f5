import { describe, expect, it } from 'vitest';
import { KSM_COLLECTORS } from '../charts/kube-state-metrics';
import { objectOf, synthStack } from './helpers/synth';

describe('kube-state-metrics', () => {
  it('neither collects nor may read ConfigMaps (kube-system/aws-auth and every app\'s configuration)', () => {
    const objects = synthStack();
    const args: string[] = objectOf(objects, 'Deployment', 'kube-state-metrics').spec.template.spec.containers[0].args;
    expect(args.find((a) => a.startsWith('--resources='))!.split('=')[1].split(',')).not.toContain('configmaps');
    const role = objectOf(objects, 'ClusterRole', 'vigil-kube-state-metrics-monitoring');
    expect(role.rules.flatMap((r: any) => r.resources)).not.toContain('configmaps');
    expect(Object.values(KSM_COLLECTORS).flat()).not.toContain('configmaps');
  });
});
