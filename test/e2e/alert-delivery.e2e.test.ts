import { App } from 'cdk8s';
import { afterAll, beforeAll, expect, it } from 'vitest';
import YAML from 'yaml';
import { VigilStack } from '../../charts/vigil-stack';
import { Manifest } from '../helpers/synth';
import { describeWithTool, findTool, isPinned, pinnedTool } from '../helpers/tools';
import { CardinalityBomb } from './harness/cardinality-bomb';
import { DemoApp } from './harness/demo-app';
import { E2E_EXAMPLE, withMysql } from './harness/e2e-example';
import { fastProps } from './harness/fast-props';
import { LocalStack } from './harness/local-stack';
import { freePort, waitFor } from './harness/processes';
import { Received, Sink } from './harness/sink';

/**
 * Faults injected into the real binaries running an example's generated rules and routing, and the
 * notifications that must (and must not) follow. The only changes to what synth produces are loopback
 * addresses and, through the typed configuration, shorter `for` and grouping timers and one MySQL
 * server added beside the example's own databases (no seed example runs MySQL).
 */
const ex = E2E_EXAMPLE;
const timings: Array<{ fault: string; alert: string; receiver: string; seconds: number }> = [];
/**
 * MariaDB and mysqld-exporter are needed only for the MySQL server the run adds to the example; without
 * them the server is left out and its test below is skipped loudly (a failure under CI=true).
 */
const withMariaDb = ['mariadbd', 'prometheus-mysqld-exporter'].every((t) => findTool(t) !== undefined);
/**
 * A typed target added to the example the way a user adds one, standing in for an application with a
 * user id in a label: it exposes 3x the default sample limit, so every scrape of it is refused.
 */
const BOMB_JOB = 'user-tracker';
const BOMB_SERIES = 30_000;

describeWithTool('prometheus-alertmanager', `alerts of the ${ex.name} example reach the right receivers`, () => {
  const sink = new Sink();
  const demo = new DemoApp(ex.demoApp);
  const bomb = new CardinalityBomb(BOMB_SERIES);
  let stack: LocalStack;
  let bombSince = 0;

  beforeAll(async () => {
    const [sinkPort, appPort, bombPort] = [await freePort(), await freePort(), await freePort()];
    await sink.listen(sinkPort);
    await demo.listen(appPort);
    await bomb.listen(bombPort);
    const sinkUrl = `http://127.0.0.1:${sinkPort}`;
    const alerts = Object.values(ex.alerts).filter((a) => withMariaDb || a !== ex.alerts.mysqlDown);
    const base = withMariaDb ? withMysql(ex.props(), ex.mysql) : ex.props();
    const withBomb = { ...base, config: { ...base.config, scrapeTargets: [...(base.config?.scrapeTargets ?? []), { name: BOMB_JOB, namespace: 'canvascast', selector: { app: BOMB_JOB }, port: 'metrics' }] } };
    const props = fastProps(withBomb, { alerts: [...alerts, 'ScrapeLimitExceeded'], sinkUrl });
    const app = new App();
    const vigil = new VigilStack(app, 'vigil', props);
    const objects: Manifest[] = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON());
    stack = new LocalStack({
      config: vigil.config,
      objects,
      appTargets: { ...Object.fromEntries(ex.appJobs.map((job) => [job, `127.0.0.1:${appPort}`])), [BOMB_JOB]: `127.0.0.1:${bombPort}` },
      queried: vigil.queriedMetrics,
      rewriteUrl: (url) => url.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${appPort}`),
      // Webhook URLs are the Secrets' values: each points at its own path on the sink.
      secretValue: (name, key) => (/url/i.test(key) ? `${sinkUrl}/secret/${name}/${key}` : `stand-in-${key}`),
    });
    bombSince = Date.now();
    await stack.start();
    // Everything healthy first: every target up, so what follows is caused by the faults.
    await waitFor('every target up', async () => {
      const up = await stack.query(`up{job!="${BOMB_JOB}"}`);
      return up.length > 5 && up.every((s) => s.value[1] === '1');
    }, 60_000);
  });

  afterAll(async () => {
    await stack?.stop();
    await demo.close();
    await bomb.close();
    await sink.close();
    if (timings.length) {
      console.log('\nTime from fault to notification (real Prometheus and Alertmanager, for shortened to 5s):');
      console.table(timings);
    }
  });

  /** Waits for a firing notification of `alert` at a receiver's sink path, and records how long it took. */
  async function notified(fault: string, since: number, alert: string, path: string, timeoutMs = 90_000): Promise<Received> {
    const got = await waitFor(`${alert} at ${path}`,
      async () => sink.matching(path, alert, since).find((r) => !/"(status|event_action)":"(resolved|resolve)"/.test(JSON.stringify(r.body))), timeoutMs, 200)
      .catch(async (err) => {
        const alerts = await stack.query('ALERTS').catch(() => []);
        throw new Error(`${err.message}\nPrometheus ALERTS: ${JSON.stringify(alerts.map((a) => a.metric))}\nsink paths: ${[...new Set(sink.received.map((r) => r.path))].join(', ')}\nalertmanager: ${stack.procs.output('alertmanager').slice(-1500)}`);
      });
    timings.push({ fault, alert, receiver: path, seconds: Math.round((got.at - since) / 100) / 10 });
    return got;
  }

  async function resolved(alert: string, path: string, since: number): Promise<void> {
    await waitFor(`${alert} resolved at ${path}`, async () => sink.matching(path, alert, since).some((r) => /resolved|"event_action":"resolve"/i.test(JSON.stringify(r.body))), 90_000, 200);
  }

  it('evaluates the rules in the pinned Prometheus (3.14.0, the image\'s version) whenever it is built', () => {
    // CI builds it (scripts/install-tools.sh); Debian's 2.42 stands in only on a machine without Go.
    if (process.env.CI === 'true' || pinnedTool('prometheus')) expect(isPinned(stack.prometheusBinary)).toBe(true);
    else expect(stack.prometheusBinary).toBe(findTool('prometheus'));
  });

  it('keeps the Watchdog firing in Alertmanager and never pages or chats with it', async () => {
    // The heartbeat receiver's ping URL is read through webhook url_file, which Debian's Alertmanager
    // 0.25 predates; here it has no integration, so the Watchdog must reach nobody at all.
    const watchdog = await waitFor('the Watchdog in Alertmanager', async () => (await stack.alertmanagerAlerts()).find((a) => a.labels.alertname === 'Watchdog'), 60_000);
    expect(watchdog.status.state).toBe('active');
    await new Promise((r) => setTimeout(r, 3_000)); // longer than the heartbeat route's group_wait
    expect(sink.received.filter((r) => JSON.stringify(r.body).includes('Watchdog'))).toEqual([]);
  });

  it('refuses a target with far too many series, tells chat, and the rest keeps working', async () => {
    // Running since the start: every scrape of it is refused over the sample limit.
    const got = await notified(`${BOMB_SERIES} series on one target`, bombSince, 'ScrapeLimitExceeded', ex.receivers.chat);
    expect(JSON.stringify(got.body)).toContain('sample_limit');
    expect(sink.matching(ex.receivers.page, 'ScrapeLimitExceeded', 0)).toEqual([]);
    // Nothing of it was stored: only the series Prometheus writes about the scrape itself.
    const stored = await stack.query(`count({job="${BOMB_JOB}"})`);
    expect(Number(stored[0]?.value[1] ?? 0)).toBeLessThan(10);
    expect((await stack.query(`up{job="${BOMB_JOB}"}`)).map((s) => s.value[1])).toEqual(['0']);
    // Every other target is scraped and the pipeline is alive.
    const others = await stack.query(`up{job!="${BOMB_JOB}"}`);
    expect(others.length).toBeGreaterThan(5);
    expect(others.filter((s) => s.value[1] !== '1').map((s) => s.metric.job)).toEqual([]);
    expect((await stack.alertmanagerAlerts()).some((a) => a.labels.alertname === 'Watchdog' && a.status.state === 'active')).toBe(true);
  });

  it('pages for a stopped database and tells chat it recovered', async () => {
    const t0 = Date.now();
    await stack.procs.stop('postgres');
    await notified('PostgreSQL stopped', t0, ex.alerts.databaseDown, ex.receivers.page);
    await notified('PostgreSQL stopped', t0, ex.alerts.databaseDown, ex.receivers.chat);
    const t1 = Date.now();
    stack.startPostgres();
    await resolved(ex.alerts.databaseDown, ex.receivers.chat, t1);
  });

  describeWithTool('mariadbd', 'MariaDB (Debian package mariadb-server)', () => {
    describeWithTool('prometheus-mysqld-exporter', 'mysqld-exporter', () => {
      it('pages for a stopped MariaDB with its database label, unmuted, and tells chat it recovered', async () => {
        const up = `mysql_up{job="mysqld-exporter", database="${ex.mysql.name}"}`;
        await waitFor(`${up} == 1`, async () => (await stack.query(up)).some((s) => s.value[1] === '1'), 30_000);
        const t0 = Date.now();
        await stack.procs.stop('mariadb');
        const page = await notified('MariaDB stopped', t0, ex.alerts.mysqlDown, ex.receivers.page);
        await notified('MariaDB stopped', t0, ex.alerts.mysqlDown, ex.receivers.chat);
        // The incident names the server: Alertmanager's default PagerDuty details list the alert's labels.
        expect(page.body.payload?.severity).toBe('critical');
        expect(JSON.stringify(page.body.payload?.custom_details ?? {})).toContain(`database = ${ex.mysql.name}`);
        // In Alertmanager the alert carries the label the Kubernetes relabelling sets, and nothing mutes it.
        const held = (await stack.alertmanagerAlerts()).filter((a) => a.labels.alertname === ex.alerts.mysqlDown);
        expect(held.map((a) => [a.labels.database, a.labels.job, a.labels.severity, a.status.state, a.status.inhibitedBy])).toEqual([
          [ex.mysql.name, 'mysqld-exporter', 'critical', 'active', []],
        ]);
        const t1 = Date.now();
        await stack.startMariaDb();
        await resolved(ex.alerts.mysqlDown, ex.receivers.chat, t1);
      });
    });
  });

  it('alerts when the readiness check fails, and resolves when it passes again', async () => {
    const t0 = Date.now();
    demo.ready = false;
    await notified('/health/ready returns 503', t0, ex.alerts.healthCheck, ex.receivers.page);
    await notified('/health/ready returns 503', t0, ex.alerts.healthCheck, ex.receivers.chat);
    const t1 = Date.now();
    demo.ready = true;
    await resolved(ex.alerts.healthCheck, ex.receivers.chat, t1);
  });

  it('pages for a high error ratio and mutes the same service\'s warnings while it pages', async () => {
    const t0 = Date.now();
    demo.errorRatio = 0.5;
    await notified('half the requests fail', t0, ex.alerts.errorRatio, ex.receivers.page);
    await notified('half the requests fail', t0, ex.alerts.errorRatio, ex.receivers.chat);
    // While the page is firing the service also turns slow: the latency warning fires in Prometheus,
    // and Alertmanager holds it back, inhibited by the page on the same service.
    demo.slow = true;
    const latency = await waitFor(`${ex.alerts.latency} in Alertmanager`, async () => (await stack.alertmanagerAlerts()).find((a) => a.labels.alertname === ex.alerts.latency), 90_000);
    expect(latency.status.state).toBe('suppressed');
    expect(latency.status.inhibitedBy.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 3_000)); // longer than group_wait + group_interval
    expect(sink.matching(ex.receivers.chat, ex.alerts.latency, t0)).toEqual([]);
    // (The error ratio is computed over 5 minutes, so its resolution would take minutes; the two
    // faults above show resolution end to end.)
    demo.errorRatio = 0;
    demo.slow = false;
  });

  it('paged only for critical alerts during the whole run', () => {
    const paged = sink.received.filter((r) => r.path === ex.receivers.page);
    expect(paged.length).toBeGreaterThan(0);
    for (const r of paged) expect(r.body.payload?.severity, JSON.stringify(r.body)).toBe('critical');
  });
});
