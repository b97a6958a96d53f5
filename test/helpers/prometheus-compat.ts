import YAML from 'yaml';

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
