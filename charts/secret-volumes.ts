import { createHash } from 'node:crypto';
import { k8s } from 'cdk8s-plus-27';
import { SecretKeyRef } from '../lib/validators';

const PREFIX = 'secret-';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The volume name of a Secret: a pod's volume names must be DNS-1123 labels (at most 63 characters,
 * no "."), while a Secret's name is a DNS subdomain (up to 253 characters, dots allowed). A name that
 * fits is used as it is (`secret-<name>`); any other gets its characters mapped to "-", cut to length,
 * and the first 8 hex digits of its SHA-256, so two Secret names never share a volume.
 */
export function secretVolumeName(secretName: string): string {
  const plain = `${PREFIX}${secretName}`;
  if (plain.length <= 63 && DNS_LABEL.test(plain)) return plain;
  const hash = createHash('sha256').update(secretName).digest('hex').slice(0, 8);
  const readable = secretName.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-').slice(0, 63 - PREFIX.length - hash.length - 1).replace(/^-+|-+$/g, '');
  return `${PREFIX}${readable ? `${readable}-` : ''}${hash}`;
}

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
      name: secretVolumeName(name),
      secret: {
        secretName: name,
        defaultMode: 0o440,
        items: [...keysBySecret.get(name)!].sort().map((key) => ({ key, path: key })),
      },
    })),
    mounts: names.map((name) => ({ name: secretVolumeName(name), mountPath: `${dir}/${name}`, readOnly: true })),
  };
}
