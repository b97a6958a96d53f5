import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { RoutingConfigInput, parseRoutingConfig, renderAlertmanagerConfig } from '../alerts/routing/alertmanager-config';
import { everyFeatureRouting } from '../alerts/routing/routing-presets';
import { SEED_ROUTING } from './helpers/seed-routing';
import { downgradeFor025, forInstalledAmtool } from './helpers/amtool-compat';
import { describeWithTool } from './helpers/tools';

/**
 * The rendered alertmanager.yml checked by the real `amtool`. Debian ships amtool 0.25, older than the
 * pinned Alertmanager 0.34, and its strict YAML parser rejects fields added after 0.25:
 *   - webhook `url_file` (0.26), Discord `webhook_url_file` (0.27), `msteamsv2_configs` (0.28),
 *     Slack `app_token_file` (0.30), inhibit rule `name` (0.30).
 * {@link downgradeFor025} rewrites exactly those (placeholder URL instead of the file, the Teams and
 * bot-token integrations dropped, rule names dropped) so amtool checks everything else: the route
 * tree, matchers, time intervals, templates, inhibit rules and the other integrations. How those newer
 * fields render is asserted structurally in test/receivers.test.ts and test/alertmanager-config.test.ts.
 */

const workDir = mkdtempSync(join(tmpdir(), 'vigil-amtool-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Renders a routing for amtool 0.25 into its own directory (templates written next to it). */
function writeConfig(name: string, input: RoutingConfigInput): { file: string; rewritten: string[] } {
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true });
  const rendered = renderAlertmanagerConfig(parseRoutingConfig(input), { templatesDir: dir });
  for (const [file, content] of Object.entries(rendered.templateFiles)) writeFileSync(join(dir, file), content);
  const { rewritten } = downgradeFor025(rendered.yaml);
  const file = join(dir, 'alertmanager.yml');
  writeFileSync(file, forInstalledAmtool(rendered.yaml));
  return { file, rewritten };
}

const CONFIGS: Record<string, RoutingConfigInput> = {
  default: {},
  ...Object.fromEntries(Object.entries(SEED_ROUTING).map(([name, preset]) => [name, preset()])),
  everyFeature: everyFeatureRouting(),
};

describeWithTool('amtool', 'amtool check-config on the rendered alertmanager.yml', (amtool) => {
  for (const [name, input] of Object.entries(CONFIGS)) {
    it(`${name}: amtool 0.25 accepts the configuration`, () => {
      const { file } = writeConfig(name, input);
      const run = spawnSync(amtool, ['check-config', file], { encoding: 'utf8' });
      expect(run.stdout + run.stderr).toContain('SUCCESS');
      expect(run.status).toBe(0);
    });
  }

  it('everyFeature: the template file is loaded and parsed by amtool', () => {
    const { file } = writeConfig('everyFeature-templates', everyFeatureRouting());
    const out = execFileSync(amtool, ['check-config', file], { encoding: 'utf8' });
    expect(out).toMatch(/ - 1 templates/);
  });

  it('rewrites only the fields amtool 0.25 does not know, and says which', () => {
    const { rewritten } = writeConfig('everyFeature-rewrites', everyFeatureRouting());
    expect(rewritten).toEqual(expect.arrayContaining([
      'receivers[5].webhook_configs[0].url_file → url',
      'receivers[6].discord_configs[0].webhook_url_file → webhook_url',
      'receivers[7].msteamsv2_configs dropped',
      'receivers[2].slack_configs with app_token_file dropped',
      'inhibit_rules[0].name dropped',
    ]));
    // The seeds without webhook/Discord/Teams/bot tokens reach amtool with only the rule names removed.
    expect(writeConfig('canvascast-rewrites', SEED_ROUTING.canvascast()).rewritten.every((r) => r.endsWith('.name dropped'))).toBe(true);
  });

  it('the harness fails on a configuration amtool rejects (a route to an undeclared receiver)', () => {
    const file = join(workDir, 'broken.yml');
    writeFileSync(file, 'route:\n  receiver: nobody\nreceivers:\n  - name: somebody\n');
    const run = spawnSync(amtool, ['check-config', file], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
  });
});

/** A label set from a seed and the receivers that must get it, in routing-tree order. */
interface RouteCase {
  readonly labels: Record<string, string>;
  readonly receivers: string[];
  /** Receivers that must not get it (implied by `receivers`, spelled out for the reader). */
  readonly never?: string[];
}

const ROUTING_TABLES: Record<keyof typeof SEED_ROUTING, RouteCase[]> = {
  // seed 000: Discord, Slack, email and webhook chosen by severity.
  idkarr: [
    { labels: { alertname: 'HighErrorRate', severity: 'critical', namespace: 'idkarr' }, receivers: ['discord', 'slack', 'email', 'webhook'] },
    { labels: { alertname: 'DatabaseConnectionLow', severity: 'critical' }, receivers: ['discord', 'slack', 'email', 'webhook'] },
    { labels: { alertname: 'IndexerDown', severity: 'warning', check: 'indexer' }, receivers: ['discord', 'slack'], never: ['email', 'webhook'] },
    { labels: { alertname: 'QueueBacklog', severity: 'warning' }, receivers: ['discord', 'slack'], never: ['email', 'webhook'] },
    { labels: { alertname: 'SomethingInformative', severity: 'info' }, receivers: ['discord'], never: ['slack', 'email', 'webhook'] },
    { labels: { alertname: 'Watchdog', severity: 'none' }, receivers: ['heartbeat'], never: ['discord', 'slack', 'email', 'webhook'] },
  ],
  // seeds 001 + 002: critical → PagerDuty + #critical-alerts + on-call email + incident webhook;
  // warning → #alerts + dev digest; business → #operations.
  medianest: [
    { labels: { alertname: 'ServiceDown', severity: 'critical', job: 'medianest-api' }, receivers: ['pagerduty', 'slack-critical', 'email-oncall', 'incident-webhook'], never: ['slack-alerts', 'email-dev-digest', 'slack-operations'] },
    { labels: { alertname: 'HighResponseTime', severity: 'warning' }, receivers: ['slack-alerts', 'email-dev-digest'], never: ['pagerduty', 'slack-critical', 'email-oncall'] },
    { labels: { alertname: 'FailedMediaRequests', severity: 'warning', category: 'business' }, receivers: ['slack-operations'], never: ['pagerduty', 'slack-alerts', 'email-dev-digest'] },
    { labels: { alertname: 'UserActivityDrop', severity: 'critical', category: 'business' }, receivers: ['slack-operations'], never: ['pagerduty'] },
    { labels: { alertname: 'NoSeverity' }, receivers: ['slack-alerts'], never: ['pagerduty'] },
    { labels: { alertname: 'Watchdog' }, receivers: ['heartbeat'], never: ['pagerduty', 'slack-critical'] },
  ],
  // seed 003: critical → PagerDuty + Slack; warning and info → Slack.
  canvascast: [
    { labels: { alertname: 'HighErrorRate', severity: 'critical' }, receivers: ['pagerduty', 'slack'] },
    { labels: { alertname: 'HighJobFailureRate', severity: 'critical' }, receivers: ['pagerduty', 'slack'] },
    { labels: { alertname: 'QueueBacklog', severity: 'warning' }, receivers: ['slack'], never: ['pagerduty'] },
    { labels: { alertname: 'SlowResponses', severity: 'warning' }, receivers: ['slack'], never: ['pagerduty'] },
    { labels: { alertname: 'Deploy', severity: 'info' }, receivers: ['slack'], never: ['pagerduty'] },
    { labels: { alertname: 'Watchdog' }, receivers: ['heartbeat'], never: ['pagerduty'] },
  ],
  // seed 004: default → email; critical → email + Slack (the "critical" receiver).
  barbossa: [
    { labels: { alertname: 'HighErrorRate', severity: 'critical' }, receivers: ['critical'], never: ['default'] },
    { labels: { alertname: 'DatabaseConnectionFailure', severity: 'critical', job: 'postgres' }, receivers: ['critical'], never: ['default'] },
    { labels: { alertname: 'LowDiskSpace', severity: 'critical', mountpoint: '/music' }, receivers: ['critical'] },
    { labels: { alertname: 'HighLatency', severity: 'warning' }, receivers: ['default'], never: ['critical'] },
    { labels: { alertname: 'DownloadQueueBacklog', severity: 'warning' }, receivers: ['default'], never: ['critical'] },
    { labels: { alertname: 'Watchdog' }, receivers: ['heartbeat'], never: ['critical', 'default'] },
  ],
};

describeWithTool('amtool', 'amtool config routes test: each seed\'s routing table', (amtool) => {
  const routeTest = (file: string, labels: Record<string, string>, verify?: string[]) => spawnSync(amtool, [
    'config', 'routes', 'test', `--config.file=${file}`, ...(verify ? [`--verify.receivers=${verify.join(',')}`] : []),
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ], { encoding: 'utf8' });

  for (const [seed, cases] of Object.entries(ROUTING_TABLES) as Array<[keyof typeof SEED_ROUTING, RouteCase[]]>) {
    const { file } = writeConfig(`routes-${seed}`, SEED_ROUTING[seed]());
    for (const c of cases) {
      const labelText = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(' ');
      it(`${seed}: {${labelText}} → ${c.receivers.join(', ')}`, () => {
        const verified = routeTest(file, c.labels, c.receivers);
        expect(verified.stdout + verified.stderr).not.toContain('WARNING');
        expect(verified.status).toBe(0);
        const got = routeTest(file, c.labels).stdout.trim().split('\n').pop()!.split(',');
        expect(got).toEqual(c.receivers);
        for (const r of c.never ?? []) expect(got).not.toContain(r);
      });
    }
  }

  it('--verify.receivers fails when the expected receivers differ (the check can fail)', () => {
    const { file } = writeConfig('routes-negative', SEED_ROUTING.canvascast());
    const run = routeTest(file, { alertname: 'QueueBacklog', severity: 'warning' }, ['pagerduty', 'slack']);
    expect(run.status).not.toBe(0);
  });
});
