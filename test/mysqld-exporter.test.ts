import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { joinHostPort } from '../charts/instance-exporter';
import { ConfigError, resolveConfig } from '../charts/profiles';
import { kubeSchemaErrors } from './helpers/kube-schema';
import { configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

const secret = (key: string) => ({ name: 'shop-db-monitor', key });
const server = { name: 'shop-db', host: 'mariadb.shop.svc', username: secret('username'), password: secret('password') };

describe('mysql: one mysqld-exporter per declared server', () => {
  const objects = synthStack({ mysql: [server, { ...server, name: 'legacy', host: 'fd00::15', port: 3307 }] });

  it('deploys a hardened exporter per server, credentials from the Secret only', async () => {
    const dep = objectOf(objects, 'Deployment', 'mysqld-exporter-shop-db');
    const c = dep.spec.template.spec.containers[0];
    expect(c.image).toBe('quay.io/prometheus/mysqld-exporter:v0.19.0');
    expect(c.args).toEqual(['--mysqld.address=mariadb.shop.svc:3306', '--mysqld.username=$(MYSQL_USER)', '--web.listen-address=:9104']);
    expect(c.env).toEqual([
      { name: 'MYSQL_USER', valueFrom: { secretKeyRef: { name: 'shop-db-monitor', key: 'username' } } },
      { name: 'MYSQLD_EXPORTER_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-db-monitor', key: 'password' } } },
    ]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(dep.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'mysqld-exporter', 'app.kubernetes.io/instance': 'shop-db' });
    expect(objectOf(objects, 'Deployment', 'mysqld-exporter-legacy').spec.template.spec.containers[0].args[0]).toBe('--mysqld.address=[fd00::15]:3307');
    expect(objectOf(objects, 'PodDisruptionBudget', 'mysqld-exporter-shop-db')).toBeDefined();
    const errors = (await Promise.all(objectsOf(objects, 'Deployment').filter((o) => o.metadata.name.startsWith('mysqld')).map(kubeSchemaErrors))).flat();
    expect(errors).toEqual([]);
  });

  it('scrapes them in one job that labels each series with its server', () => {
    const job = configDoc(objects, 'prometheus-config', 'prometheus.yml').scrape_configs.find((j: any) => j.job_name === 'mysqld-exporter');
    expect(job.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_service_label_app_kubernetes_io_instance'], target_label: 'database' });
  });

  it('admits Prometheus, and only Prometheus, to the exporter port', () => {
    expect(objectOf(objects, 'NetworkPolicy', 'mysqld-exporter-ingress').spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/part-of': 'vigil' } } }],
      ports: [{ port: 9104, protocol: 'TCP' }],
    }]);
  });

  it('loads the mysql pack and provisions the dashboard', () => {
    const rules = YAML.parse(objectOf(objects, 'ConfigMap', 'prometheus-rules-mysql').data['mysql.yml']);
    expect(rules.groups.flatMap((g: any) => g.rules.map((r: any) => r.alert))).toEqual(
      ['MysqlDown', 'MysqlTooManyConnections', 'MysqlSlowQueries', 'MysqlReplicationLag', 'MysqlReplicationStopped']);
    expect(objectOf(objects, 'ConfigMap', 'grafana-dashboard-vigil-mysql')).toBeDefined();
  });

  it('deploys nothing of it when no server is declared', () => {
    const none = synthStack();
    expect(none.filter((o) => /mysql/.test(o.metadata.name))).toEqual([]);
  });
});

describe('mysql: what a new user might write', () => {
  const error = (mysql: unknown[]) => {
    try {
      resolveConfig({ mysql } as never);
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    throw new Error('expected a ConfigError');
  };

  it('refuses a password written inline, without echoing it', () => {
    const message = error([{ ...server, password: 'hunter2' }]);
    expect(message).toMatch(/mysql\[0\]\.password: expected a Secret reference/);
    expect(message).not.toContain('hunter2');
  });

  it('refuses credentials, a scheme, a port or stray characters in the host, without echoing a secret', () => {
    const withCredentials = error([{ ...server, host: 'root:hunter2@db' }]);
    expect(withCredentials).toMatch(/mysql\[0\]\.host: expected a host name \(e\.g\. "mariadb\.apps\.svc"\), an IPv4 address or an IPv6 address/);
    expect(withCredentials).not.toContain('hunter2');
    expect(error([{ ...server, host: 'mysql://db:3306/' }])).toMatch(/mysql\[0\]\.host: expected a host name/);
    expect(error([{ ...server, host: 'db:3306' }])).toMatch(/mysql\[0\]\.host: expected a host without a port: put the port in `port`, e.g. host: "mariadb\.apps\.svc", port: 3307/);
    for (const host of ['db primary', 'db\tprimary', 'dätabase.svc', 'db"1', "db'1", '']) {
      expect(error([{ ...server, host }]), JSON.stringify(host)).toMatch(/mysql\[0\]\.host/);
    }
  });

  it('refuses two servers of one name, and a name that is no DNS label', () => {
    expect(error([server, server])).toMatch(/mysql\[1\]\.name: duplicate name "shop-db" \(also at mysql\.0\)/);
    expect(error([{ ...server, name: 'Shop_DB' }])).toMatch(/mysql\[0\]\.name: expected a DNS-1123 label/);
  });

  it('writes IPv6 addresses the way the exporter splits them', () => {
    expect(joinHostPort('db.svc', 3306)).toBe('db.svc:3306');
    expect(joinHostPort('10.0.0.7', 3306)).toBe('10.0.0.7:3306');
    expect(joinHostPort('fd00::1', 3306)).toBe('[fd00::1]:3306');
    expect(joinHostPort('[fd00::1]', 3306)).toBe('[fd00::1]:3306');
  });
});
