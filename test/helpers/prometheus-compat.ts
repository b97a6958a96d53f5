import YAML from 'yaml';
import { findTool, isPinned } from './tools';

/**
 * Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects
 * `kubernetes_sd_configs`. Replace each one with a static target and let promtool check everything
 * else (relabel regexes, TLS and auth files, remote write, alerting); test/prometheus-config.test.ts
 * checks the discovery blocks themselves.
 */
export function withoutKubernetesDiscovery(prometheusYml: string): string {
  const doc = YAML.parse(prometheusYml);
  for (const job of doc.scrape_configs) {
    if (job.kubernetes_sd_configs) {
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: ['discovered.invalid:80'] }];
    }
  }
  return YAML.stringify(doc);
}

/** True when `promtool` resolves to the pinned Prometheus 3.14 build (tools/prometheus). */
export const promtoolIsPinned = isPinned(findTool('promtool'));

/**
 * prometheus.yml as the installed promtool can check it: unchanged for the pinned promtool (it has
 * Kubernetes discovery), {@link withoutKubernetesDiscovery} for Debian's.
 */
export function forInstalledPromtool(prometheusYml: string): string {
  return promtoolIsPinned ? prometheusYml : withoutKubernetesDiscovery(prometheusYml);
}
