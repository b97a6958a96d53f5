/**
 * A component's name: the value of `app.kubernetes.io/name` on every object of it (`prometheus`,
 * `postgres-exporter`, ...). Open, so a new component is one module and no list here.
 */
export type ComponentName = string;

export const PART_OF = 'vigil';

/**
 * Label on every object of a stack (top-level metadata only, never a selector), valued with the
 * stack's monitoring namespace: it tells two Vigil stacks in one cluster apart, so that applying one
 * with pruning never touches the other's cluster-scoped objects (scripts/review/prune.ts).
 */
export const STACK_LABEL = 'vigil.dev/stack';

/**
 * Labels that select a component's pods. Never a version label: a selector is immutable, and an
 * upgrade must not orphan the old pods.
 */
export function selectorLabels(component: ComponentName, instance?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/part-of': PART_OF,
    ...(instance ? { 'app.kubernetes.io/instance': instance } : {}),
  };
}

/** Labels every object of a component carries. */
export function componentLabels(component: ComponentName, instance?: string): Record<string, string> {
  return { ...selectorLabels(component, instance), 'app.kubernetes.io/managed-by': 'cdk8s' };
}
