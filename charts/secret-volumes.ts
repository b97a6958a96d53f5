import { k8s } from 'cdk8s-plus-27';
import { SecretKeyRef } from '../lib/validators';

/**
 * Volumes and mounts that expose exactly the referenced Secret keys as files under
 * `<dir>/<secret name>/<key>`, which components read through their `*_file` settings. Only the
 * listed keys are projected, so a Secret shared with other apps does not leak its other values.
 */
export function secretVolumes(refs: readonly SecretKeyRef[], dir: string): { volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  const keysBySecret = new Map<string, Set<string>>();
  for (const r of refs) keysBySecret.set(r.name, (keysBySecret.get(r.name) ?? new Set()).add(r.key));
  const names = [...keysBySecret.keys()].sort();
  return {
    volumes: names.map((name) => ({
      name: `secret-${name}`,
      secret: {
        secretName: name,
        defaultMode: 0o440,
        items: [...keysBySecret.get(name)!].sort().map((key) => ({ key, path: key })),
      },
    })),
    mounts: names.map((name) => ({ name: `secret-${name}`, mountPath: `${dir}/${name}`, readOnly: true })),
  };
}
