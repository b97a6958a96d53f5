import YAML from 'yaml';
import { findTool, isPinned } from './tools';

/**
 * Debian ships amtool/Alertmanager 0.25, older than the pinned Alertmanager 0.34, and its strict YAML
 * parser rejects fields added after 0.25:
 *   - webhook `url_file` (0.26), Discord `webhook_url_file` (0.27), `msteamsv2_configs` (0.28),
 *     Slack `app_token_file` (0.30), inhibit rule `name` (0.30).
 * {@link downgradeFor025} rewrites exactly those (placeholder URL instead of the file, the Teams and
 * bot-token integrations dropped, rule names dropped) so amtool checks everything else: the route
 * tree, matchers, time intervals, templates, inhibit rules and the other integrations. How those newer
 * fields render is asserted structurally in test/receivers.test.ts and test/alertmanager-config.test.ts.
 */
const PLACEHOLDER_URL = 'https://amtool-025-check.invalid/';

export interface Downgraded {
  readonly yaml: string;
  /** What was rewritten, e.g. `receivers[3].webhook_configs[0].url_file → url`. */
  readonly rewritten: string[];
}

export function downgradeFor025(yamlText: string): Downgraded {
  const doc = YAML.parse(yamlText) as Record<string, any>;
  const rewritten: string[] = [];
  (doc.inhibit_rules ?? []).forEach((r: Record<string, unknown>, i: number) => {
    if ('name' in r) {
      delete r.name;
      rewritten.push(`inhibit_rules[${i}].name dropped`);
    }
  });
  (doc.receivers ?? []).forEach((r: Record<string, any>, i: number) => {
    (r.webhook_configs ?? []).forEach((c: Record<string, unknown>, j: number) => {
      if (c.url_file) {
        delete c.url_file;
        c.url = PLACEHOLDER_URL;
        rewritten.push(`receivers[${i}].webhook_configs[${j}].url_file → url`);
      }
    });
    (r.discord_configs ?? []).forEach((c: Record<string, unknown>, j: number) => {
      if (c.webhook_url_file) {
        delete c.webhook_url_file;
        c.webhook_url = PLACEHOLDER_URL;
        rewritten.push(`receivers[${i}].discord_configs[${j}].webhook_url_file → webhook_url`);
      }
    });
    if (r.msteamsv2_configs) {
      delete r.msteamsv2_configs;
      rewritten.push(`receivers[${i}].msteamsv2_configs dropped`);
    }
    if (r.slack_configs) {
      const kept = r.slack_configs.filter((c: Record<string, unknown>) => !c.app_token_file);
      if (kept.length !== r.slack_configs.length) rewritten.push(`receivers[${i}].slack_configs with app_token_file dropped`);
      if (kept.length) r.slack_configs = kept;
      else delete r.slack_configs;
    }
  });
  return { yaml: YAML.stringify(doc, { lineWidth: 0 }), rewritten };
}


/** True when `amtool` resolves to the pinned Alertmanager 0.34 build (tools/alertmanager). */
export const amtoolIsPinned = isPinned(findTool('amtool'));

/**
 * alertmanager.yml as the installed amtool can check it: unchanged for the pinned amtool 0.34,
 * {@link downgradeFor025} for Debian's 0.25.
 */
export function forInstalledAmtool(yamlText: string): string {
  return amtoolIsPinned ? yamlText : downgradeFor025(yamlText).yaml;
}
