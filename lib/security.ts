import { k8s } from 'cdk8s-plus-27';

/**
 * Pod Security "restricted" for a pod whose containers run as `user`. `fsGroup` makes mounted volumes
 * writable for that user without an init container that chowns them.
 */
export function restrictedPodSecurityContext(user: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    fsGroup: user,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container-level "restricted": read-only root filesystem, no capabilities, no privilege escalation. */
export function restrictedContainerSecurityContext(user: number): k8s.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: user,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Pod Security Standards labels for a namespace: enforce, and warn/audit at the same level. */
export function podSecurityLabels(level: 'restricted' | 'baseline' | 'privileged'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': 'latest',
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/audit-version': 'latest',
  };
}
