/**
 * Vigil's public API: the stack, its component constructs, and the rule, routing and dashboard models.
 */
export { VigilStack } from './charts/vigil-stack';
export type { VigilStackProps } from './charts/vigil-stack';
export { StackConfigSchema } from './charts/config';
export type { StackConfig, StackConfigInput } from './charts/config';
export { resolveConfig } from './charts/profiles';
export { synthSafely } from './lib/safe-synth';
export * from './alerts';
export * from './alerts/routing';
export * from './dashboards';
