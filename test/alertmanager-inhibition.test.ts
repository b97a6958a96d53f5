import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { Server, createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseRoutingConfig, renderAlertmanagerConfig } from '../alerts/routing/alertmanager-config';
import { secretRef } from '../alerts/routing/receivers';
import { severityRouting, webhookReceiver } from '../alerts/routing/routing-presets';
import { describeWithTool } from './helpers/tools';

/**
 * The standard inhibit rules and the Watchdog route, run by a real Alertmanager (Debian's 0.25): alerts
 * are posted to its API and the notifications it sends to local webhooks are checked. Alertmanager
 * 0.25 has no webhook `url_file` (0.26) nor inhibit-rule `name` (0.30), so the rendered file gets
 * `url` pointing at the local server and no rule names; routes and inhibit rules are used as rendered.
 */

const s = (key: string) => secretRef('alertmanager-test', key);
const ROUTING = parseRoutingConfig({
  receivers: [
    webhookReceiver('catchall', { url: s('catchall') }),
    webhookReceiver('critical', { url: s('critical') }),
    webhookReceiver('warning', { url: s('warning') }),
  ],
  route: {
    receiver: 'catchall',
    groupWait: '1s',
    groupInterval: '1s',
    routes: severityRouting({ critical: ['critical'], warning: ['warning'], info: ['warning'], criticalTiming: { groupWait: '1s' } }),
  },
  heartbeat: { url: s('heartbeat') },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

type Labels = Record<string, string>;
const ALERTS: Labels[] = [
  { alertname: 'HighErrorRate', severity: 'critical', namespace: 'app', job: 'api', instance: 'a:80' },
  { alertname: 'HighErrorRate', severity: 'warning', namespace: 'app', job: 'api', instance: 'a:80' }, // muted by the critical one
  { alertname: 'HighErrorRate', severity: 'warning', namespace: 'app', job: 'api', instance: 'b:80' }, // other target: sent
  { alertname: 'HighLatency', severity: 'warning', namespace: 'app', job: 'api', instance: 'a:80' }, // muted: same target is critical
  { alertname: 'ApiServiceDown', severity: 'critical', namespace: 'app', job: 'api', instance: 'd:80' },
  { alertname: 'HighMemory', severity: 'critical', namespace: 'app', job: 'api', instance: 'd:80' }, // muted: its target is down
  { alertname: 'TargetDown', severity: 'warning', job: 'worker', instance: 'c:80' },
  { alertname: 'QueueBacklog', severity: 'warning', job: 'worker', instance: 'c:80' }, // muted: its target is down
  { alertname: 'NodeDown', severity: 'critical', node: 'n1' },
  { alertname: 'DiskFull', severity: 'warning', node: 'n1', job: 'node-exporter', instance: '10.0.0.1:9100' }, // muted: its node is down
  { alertname: 'TargetDown', severity: 'warning', job: 'batch' }, // aggregated, no instance: mutes nothing
  { alertname: 'Unrelated', severity: 'warning' },
  { alertname: 'Watchdog', severity: 'none' },
];

describeWithTool('prometheus-alertmanager', 'a real Alertmanager runs the standard inhibit rules and the Watchdog route', (binary) => {
  const received: Record<string, Labels[]> = {};
  let hooks: Server;
  let am: ChildProcess;
  let amUrl = '';
  let amLog = '';
  let dir = '';

  beforeAll(async () => {
    hooks = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const payload = JSON.parse(body) as { alerts: Array<{ labels: Labels; status: string }> };
        const receiver = (req.url ?? '/').slice(1);
        for (const a of payload.alerts) if (a.status === 'firing') (received[receiver] ??= []).push(a.labels);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
    const hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;

    const doc = YAML.parse(renderAlertmanagerConfig(ROUTING, { alertmanagerVersion: '0.29.0' }).yaml);
    for (const r of doc.receivers) {
      for (const w of r.webhook_configs ?? []) {
        w.url = `${hookBase}/${basename(w.url_file)}`;
        delete w.url_file;
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
    writeFileSync(join(dir, 'alertmanager.yml'), YAML.stringify(doc));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = spawn(binary, [
      `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    am.stdout!.on('data', (d) => { amLog += d; });
    am.stderr!.on('data', (d) => { amLog += d; });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${amUrl}/-/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const now = Date.now();
    const res = await fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ALERTS.map((labels) => ({ labels, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 600_000).toISOString() }))),
    });
    if (!res.ok) throw new Error(`posting alerts failed: ${res.status} ${await res.text()}\n${amLog}`);

    const expected = { critical: 2, warning: 4, heartbeat: 1 };
    for (let i = 0; i < 150; i++) {
      if (Object.entries(expected).every(([r, n]) => (received[r]?.length ?? 0) >= n)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    // Give muted alerts time to show up, were they not muted.
    await new Promise((r) => setTimeout(r, 3000));
  }, 60_000);

  afterAll(async () => {
    if (am && am.exitCode === null) {
      const exited = new Promise((resolve) => am.once('exit', resolve));
      am.kill();
      await exited;
    }
    await new Promise<void>((resolve) => (hooks ? hooks.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const names = (receiver: string) => (received[receiver] ?? []).map((l) => `${l.alertname}${l.instance ? `@${l.instance}` : l.job ? `@${l.job}` : ''}`).sort();

  it('critical alerts reach the critical receiver', () => {
    expect(names('critical'), amLog).toEqual(['ApiServiceDown@d:80', 'HighErrorRate@a:80', 'NodeDown']);
  });

  it('warnings are sent unless a critical alert on the same target, a down target or a down node mutes them', () => {
    expect(names('warning'), amLog).toEqual(['HighErrorRate@b:80', 'TargetDown@batch', 'TargetDown@c:80', 'Unrelated']);
  });

  it('the Watchdog reaches only the heartbeat receiver', () => {
    expect(names('heartbeat')).toEqual(['Watchdog']);
    expect(names('catchall')).toEqual([]);
  });
});
