import { PART_OF, STACK_LABEL } from '../../lib/labels';

/**
 * Applying dist/ so that what the output no longer contains is removed: kubectl's label-selector
 * prune with an explicit allow-list.
 *
 * Derived from kubectl v1.37.2 (k8s.io/kubectl v0.37.2, the kubectl that tools/kubernetes pins):
 * - pkg/cmd/apply/apply.go, (*ApplyOptions).Validate: `--prune` needs `--all` or a selector (`-l`),
 *   and "--prune is in alpha and doesn't currently work on objects created by server-side apply", so
 *   this is a client-side apply. `--applyset` (behind KUBECTL_APPLYSET=true) is not used: its parent
 *   is a Secret or ConfigMap (builtinApplySetParentGVRs in pkg/cmd/apply/applyset.go) or a custom
 *   resource whose CRD is labelled applyset.kubernetes.io/is-parent-type (Vigil ships no CRD); a
 *   namespaced parent needs `--namespace` (NewApplyOptions/ApplySet.Validate), and an explicit
 *   namespace makes the builder refuse every object of another namespace (RequireNamespace in
 *   k8s.io/cli-runtime pkg/resource/visitor.go), while Vigil's output spans `monitoring`,
 *   `monitoring-agents` and cluster-scoped objects; and the parent would have to be created in a
 *   namespace that the same apply creates (ApplySet.BeforeApply runs before any object is applied).
 * - pkg/cmd/apply/prune.go, (*pruner).pruneAll/prune: namespaced kinds are listed, with the selector,
 *   only in the namespaces the apply visited; cluster-scoped kinds cluster-wide; an object is deleted
 *   only when it carries the kubectl.kubernetes.io/last-applied-configuration annotation (written
 *   by a client-side `kubectl apply`) and was not part of this apply.
 * - pkg/util/prune/prune.go: without `--prune-allowlist` the default list includes Namespace,
 *   PersistentVolume and PersistentVolumeClaim; entries are `group/version/Kind` (`core` for the
 *   core group).
 *
 * The selector is two labels every object carries (lib/labels.ts): `app.kubernetes.io/part-of: vigil`
 * and `vigil.dev/stack: <the monitoring namespace>`. The second keeps two Vigil stacks of separate
 * apps in one cluster apart: cluster-scoped kinds (ClusterRole, ClusterRoleBinding) are listed
 * cluster-wide, so with `part-of` alone applying one stack would delete the other's. The allow-list
 * names every kind Vigil emits except
 * Namespace (deleting one deletes everything in it) and PersistentVolumeClaim (the data stays until
 * someone deletes it on purpose; `npm run review` lists the claims left behind).
 */
/** The prune selector of the stack whose monitoring namespace is `monitoringNamespace`. */
export function pruneSelector(monitoringNamespace = 'monitoring'): string {
  return `app.kubernetes.io/part-of=${PART_OF},${STACK_LABEL}=${monitoringNamespace}`;
}

/** The selector of a stack with the default namespaces, as the README gives it. */
export const PRUNE_SELECTOR = pruneSelector();

/** Every kind Vigil emits that pruning may delete, as kubectl's `--prune-allowlist` spells it. */
export const PRUNE_ALLOWLIST: readonly string[] = [
  'core/v1/ConfigMap',
  'core/v1/Secret',
  'core/v1/Service',
  'core/v1/ServiceAccount',
  'core/v1/ResourceQuota',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'batch/v1/CronJob',
  'policy/v1/PodDisruptionBudget',
  'networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1/Ingress',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
];

/** Kinds never pruned, on purpose (see above). */
export const NEVER_PRUNED: readonly string[] = ['Namespace', 'PersistentVolumeClaim'];

/** The apply command with pruning, as the README gives it (one argument per line). */
export function pruneCommandArgs(dir = 'dist/', monitoringNamespace = 'monitoring'): string[] {
  return ['kubectl', 'apply', '-f', dir, '--prune', '-l', pruneSelector(monitoringNamespace), ...PRUNE_ALLOWLIST.map((k) => `--prune-allowlist=${k}`)];
}

/** The same command as one shell line. */
export function pruneCommand(dir = 'dist/', monitoringNamespace = 'monitoring'): string {
  return pruneCommandArgs(dir, monitoringNamespace).join(' ');
}

/** The `kind` of an allow-list entry (`apps/v1/Deployment` → `Deployment`). */
export function allowListKinds(): string[] {
  return PRUNE_ALLOWLIST.map((e) => e.split('/')[2]);
}
