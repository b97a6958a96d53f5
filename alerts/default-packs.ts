import { AlertOverrides, applyOverrides } from './overrides';
import { KubernetesPackOptions, kubernetesRulePack } from './packs/kubernetes';
import { LogsPackOptions, logsRulePack } from './packs/logs';
import { NodePackOptions, nodeRulePack } from './packs/node';
import { PostgresPackOptions, postgresRulePack } from './packs/postgres';
import { RedisPackOptions, redisRulePack } from './packs/redis';
import { StackPackOptions, stackRulePack } from './packs/stack';
import type { RulePack } from './rule-pack';

/** Options of the packs every cluster gets. */
export interface DefaultRulePacksOptions {
  /**
   * Options of the `stack` pack (Vigil's own health), or `false` to leave it out.
   * @default {}
   */
  readonly stack?: StackPackOptions | false;
  /**
   * Options of the `node` pack, or `false` to leave it out.
   * @default {}
   */
  readonly node?: NodePackOptions | false;
  /**
   * Options of the `kubernetes` pack, or `false` to leave it out.
   * @default {}
   */
  readonly kubernetes?: KubernetesPackOptions | false;
  /**
   * Options of the `postgres` pack (connections, long transactions, deadlocks), or `false`. Enable it when
   * the stack runs postgres-exporter for declared databases.
   * @default false
   */
  readonly postgres?: PostgresPackOptions | false;
  /**
   * Options of the `redis` pack (memory, connections), or `false`. Enable it when the stack runs
   * redis-exporter for declared Redis instances.
   * @default false
   */
  readonly redis?: RedisPackOptions | false;
  /**
   * Further packs (HTTP applications, SLOs, your own), rendered alongside and open to the same overrides.
   * @default []
   */
  readonly extraPacks?: readonly RulePack[];
  /**
   * Per-alert overrides, e.g. `{ NodeHighCpuUsage: { threshold: 0.95 }, KubeJobFailed: { enabled: false } }`.
   * @default {}
   */
  readonly overrides?: AlertOverrides;
}

/** The Prometheus rule packs of the default app (stack, node, kubernetes; postgres and redis when asked; extras) with overrides applied. */
export function defaultRulePacks(options: DefaultRulePacksOptions = {}): RulePack[] {
  const packs: RulePack[] = [];
  if (options.stack !== false) packs.push(stackRulePack(options.stack ?? {}));
  if (options.node !== false) packs.push(nodeRulePack(options.node ?? {}));
  if (options.kubernetes !== false) packs.push(kubernetesRulePack(options.kubernetes ?? {}));
  if (options.postgres) packs.push(postgresRulePack(options.postgres));
  if (options.redis) packs.push(redisRulePack(options.redis));
  packs.push(...(options.extraPacks ?? []));
  return applyOverrides(packs, options.overrides ?? {});
}

/** Options of the Loki ruler packs. */
export interface DefaultLogRulePacksOptions {
  /**
   * Options of the `logs` pack, or `false` to leave it out.
   * @default {}
   */
  readonly logs?: LogsPackOptions | false;
  /**
   * Further LogQL packs.
   * @default []
   */
  readonly extraPacks?: readonly RulePack[];
  /**
   * Per-alert overrides of the log alerts.
   * @default {}
   */
  readonly overrides?: AlertOverrides;
}

/** The Loki ruler packs of the default app with overrides applied (render with `renderLokiRulePacks`). */
export function defaultLogRulePacks(options: DefaultLogRulePacksOptions = {}): RulePack[] {
  const packs: RulePack[] = [];
  if (options.logs !== false) packs.push(logsRulePack(options.logs ?? {}));
  packs.push(...(options.extraPacks ?? []));
  return applyOverrides(packs, options.overrides ?? {});
}
