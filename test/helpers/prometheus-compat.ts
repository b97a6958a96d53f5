import YAML from 'yaml';
import { findTool, isPinned } from './tools';

/**
 * Scrape-config fields Debian's promtool 2.42 does not know (its strict parser refuses them), with the
 * release that added them: `track_timestamps_staleness` (2.48), `fallback_scrape_protocol` (3.0).
 * test/prometheus-config.test.ts asserts where they are rendered.
 */
export const NEWER_SCRAPE_FIELDS = ['track_timestamps_staleness', 'fallback_scrape_protocol'] as const;

/**
 * Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects
 * `kubernetes_sd_configs`. Replace each one with a static target and let promtool check everything
 * else (relabel regexes, TLS and auth files, remote write, alerting); test/prometheus-config.test.ts
 * checks the discovery blocks themselves. The fields of {@link NEWER_SCRAPE_FIELDS} are dropped too.
 */
export function withoutKubernetesDiscovery(prometheusYml: string): string {
  const doc = YAML.parse(prometheusYml);
  for (const job of doc.scrape_configs) {
    if (job.kubernetes_sd_configs) {
      delete job.kubernetes_sd_configs;
      job.static_configs = [{ targets: ['discovered.invalid:80'] }];
    }
    for (const field of NEWER_SCRAPE_FIELDS) delete job[field];
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
