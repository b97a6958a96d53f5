import { REDIS_EXPORTER } from '../metric-catalogue';
import { alertRule, formatNumber, percent } from '../rule';
import { ruleGroup } from '../rule-group';
import type { RulePack } from '../rule-pack';
import type { RuleTest } from '../rule-test';
import { sel } from './selector';

const DEFAULT_SELECTOR = 'job="redis-exporter"';

/** Options of the `redis` pack (redis_exporter, one target per declared Redis). */
export interface RedisPackOptions {
  /**
   * Matchers selecting redis-exporter series.
   * @default 'job="redis-exporter"'
   */
  readonly selector?: string;
  /**
   * Share of `maxmemory` above which `RedisMemoryHigh` fires (only when maxmemory is set).
   * @default 0.9
   */
  readonly memoryRatio?: number;
  /**
   * Share of `maxclients` above which `RedisTooManyConnections` fires.
   * @default 0.8
   */
  readonly connectionsRatio?: number;
}

/** The `redis` pack: memory against maxmemory, client connections, rejected connections. */
export function redisRulePack(options: RedisPackOptions = {}): RulePack {
  const S = options.selector ?? DEFAULT_SELECTOR;
  const withTests = Object.keys(options).length === 0;
  const tests = (t: RuleTest[]): RuleTest[] | undefined => (withTests ? t : undefined);
  const target = 'job="redis-exporter", instance="10.0.2.2:9121", redis="cache"';
  const labels = { job: 'redis-exporter', instance: '10.0.2.2:9121', redis: 'cache' };

  const memory = alertRule({
    name: 'RedisMemoryHigh',
    threshold: options.memoryRatio ?? 0.9,
    // maxmemory 0 means unlimited: no ratio to watch.
    expr: (t) => `
      ${sel('redis_memory_used_bytes', S)} / ${sel('redis_memory_max_bytes', S)} > ${formatNumber(t)}
      and
      ${sel('redis_memory_max_bytes', S)} > 0
    `,
    for: '5m',
    severity: 'warning',
    summary: (t) => `Redis uses more than ${percent(t)} of its maxmemory.`,
    description: 'Redis {{ $labels.redis }} uses {{ $value | humanizePercentage }} of maxmemory; keys are evicted or writes fail, depending on its eviction policy.',
    tests: tests([
      {
        name: 'RedisMemoryHigh: 95% of maxmemory',
        series: [
          { series: `redis_memory_max_bytes{${target}}`, values: '1000000000x30' },
          { series: `redis_memory_used_bytes{${target}}`, values: '500000000x5 950000000x25' },
        ],
        alerts: [
          { at: '5m', state: 'inactive' },
          { at: '8m', state: 'pending', alerts: [{ labels }] },
          { at: '15m', state: 'firing', alerts: [{ labels, annotations: { description: 'Redis cache uses 95% of maxmemory; keys are evicted or writes fail, depending on its eviction policy.' } }] },
        ],
      },
      {
        name: 'RedisMemoryHigh: no maxmemory set',
        series: [
          { series: `redis_memory_max_bytes{${target}}`, values: '0x30' },
          { series: `redis_memory_used_bytes{${target}}`, values: '950000000x30' },
        ],
        alerts: [{ at: '20m', state: 'inactive' }],
      },
    ]),
  });

  const connections = alertRule({
    name: 'RedisTooManyConnections',
    threshold: options.connectionsRatio ?? 0.8,
    expr: (t) => `${sel('redis_connected_clients', S)} / ${sel('redis_config_maxclients', S)} > ${formatNumber(t)}`,
    for: '5m',
    severity: 'warning',
    summary: (t) => `Redis uses more than ${percent(t)} of maxclients.`,
    description: 'Redis {{ $labels.redis }} has {{ $value | humanizePercentage }} of maxclients connected; a client is probably leaking connections.',
    tests: tests([{
      name: 'RedisTooManyConnections: 9000 of 10000 clients',
      series: [
        { series: `redis_config_maxclients{${target}}`, values: '10000x30' },
        { series: `redis_connected_clients{${target}}`, values: '100x5 9000x25' },
      ],
      alerts: [
        { at: '5m', state: 'inactive' },
        { at: '8m', state: 'pending', alerts: [{ labels }] },
        { at: '15m', state: 'firing', alerts: [{ labels, annotations: { description: 'Redis cache has 90% of maxclients connected; a client is probably leaking connections.' } }] },
      ],
    }]),
  });

  const rejected = alertRule({
    name: 'RedisRejectedConnections',
    expr: `increase(${sel('redis_rejected_connections_total', S)}[5m]) > 0`,
    severity: 'warning',
    summary: 'Redis rejected client connections.',
    description: 'Redis {{ $labels.redis }} rejected {{ printf "%.0f" $value }} connections in the last 5 minutes because maxclients was reached.',
    tests: tests([{
      name: 'RedisRejectedConnections: maxclients reached',
      series: [{ series: `redis_rejected_connections_total{${target}}`, values: '0x10 3x20' }],
      alerts: [
        { at: '8m', state: 'inactive' },
        { at: '13m', state: 'firing', alerts: [{ labels, annotations: { description: 'Redis cache rejected 3 connections in the last 5 minutes because maxclients was reached.' } }] },
        { at: '25m', state: 'inactive' },
      ],
    }]),
  });

  return {
    name: 'redis',
    source: 'alerts/packs/redis.ts',
    catalogues: [REDIS_EXPORTER],
    groups: [
      ruleGroup({ name: 'redis.availability', rules: [redisDownAlert(S)] }),
      ruleGroup({ name: 'redis.alerts', rules: [memory, connections, rejected] }),
    ],
  };
}

/** `RedisDown`: the exporter cannot reach its server. In the pack's `redis.availability` group. */
export function redisDownAlert(selector = DEFAULT_SELECTOR) {
  return alertRule({
    name: 'RedisDown',
    expr: `${sel('redis_up', selector)} == 0`,
    for: '1m',
    severity: 'critical',
    summary: 'Redis is unreachable.',
    description: 'redis-exporter {{ $labels.instance }} cannot reach Redis {{ $labels.redis }}.',
    // The tests name the default job; a pack rebuilt with another selector has none.
    tests: selector !== DEFAULT_SELECTOR ? undefined : [{
      name: 'RedisDown: redis stops answering',
      series: [{ series: 'redis_up{job="redis-exporter", instance="10.0.2.2:9121", redis="cache"}', values: '1x3 0x10' }],
      alerts: [
        { at: '3m', state: 'inactive' },
        { at: '4m', state: 'pending', alerts: [{ labels: { job: 'redis-exporter', instance: '10.0.2.2:9121', redis: 'cache' } }] },
        { at: '8m', state: 'firing', alerts: [{ labels: { job: 'redis-exporter', instance: '10.0.2.2:9121', redis: 'cache' }, annotations: { description: 'redis-exporter 10.0.2.2:9121 cannot reach Redis cache.' } }] },
      ],
    }],
  });
}
