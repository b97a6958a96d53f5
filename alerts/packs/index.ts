import type { RulePack } from '../rule-pack';
import { externalApiRulePack } from './external-apis';
import { httpRulePack } from './http';
import { kubernetesRulePack } from './kubernetes';
import { logsRulePack } from './logs';
import { mysqlRulePack } from './mysql';
import { nodeRulePack } from './node';
import { postgresRulePack } from './postgres';
import { queueRulePack } from './queues';
import { redisRulePack } from './redis';
import { stackRulePack } from './stack';

export * from './external-apis';
export * from './http';
export * from './kubernetes';
export * from './logs';
export * from './mysql';
export * from './node';
export * from './postgres';
export * from './queues';
export * from './redis';
export * from './stack';

/**
 * Every Prometheus pack Vigil ships, with default options: what the test suite renders, runs through
 * promtool and checks for runbooks.
 */
export function shippedRulePacks(): RulePack[] {
  // One typed target, so the alert that watches typed targets (ScrapeTargetMissing) is shipped too.
  return [stackRulePack({ scrapeTargetJobs: ['api'] }), nodeRulePack(), kubernetesRulePack(), postgresRulePack(), mysqlRulePack(), redisRulePack(), httpRulePack(), queueRulePack(), externalApiRulePack()];
}

/** Every Loki ruler pack Vigil ships, with default options. */
export function shippedLokiRulePacks(): RulePack[] {
  return [logsRulePack()];
}
