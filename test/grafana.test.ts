import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DashboardDefinition, logs, row, timeseries } from '../dashboards/model';
import { resolveConfig } from '../charts/profiles';
import type { StackConfigInput } from '../charts/config';
import { kubeSchemaErrors } from './helpers/kube-schema';
import { Manifest, configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

const grafanaObjects = (objects: Manifest[]) => objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'grafana');
const podSpec = (objects: Manifest[]) => objectOf(objects, 'Deployment', 'grafana').spec.template.spec;
const ini = (objects: Manifest[]) => objectOf(objects, 'ConfigMap', 'grafana-config').data['grafana.ini'] as string;
const datasources = (objects: Manifest[]) => configDoc(objects, 'grafana-datasources', 'datasources.yaml').datasources as any[];

describe('Grafana in the default stack', () => {
  const objects = synthStack();
  const spec = podSpec(objects);
  const container = spec.containers[0];

  it('runs the pinned Grafana 13 image as UID 472 with a read-only root filesystem', () => {
    expect(container.image).toMatch(/^docker\.io\/grafana\/grafana:13\.\d+\.\d+$/);
    expect(container.securityContext).toMatchObject({ runAsUser: 472, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(spec.securityContext).toMatchObject({ runAsUser: 472, fsGroup: 472 });
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  it('gives Grafana writable emptyDirs exactly where it writes, and is stateless by default', () => {
    const volumes = new Map<string, any>(spec.volumes.map((v: any) => [v.name, v]));
    const writable = container.volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => [m.mountPath, volumes.get(m.name)]);
    expect(writable.map(([path]: [string]) => path).sort()).toEqual(['/tmp', '/var/lib/grafana', '/var/lib/grafana-search']);
    for (const [, v] of writable) expect(v.emptyDir?.sizeLimit, v.name).toBeTruthy();
    expect(objectsOf(objects, 'PersistentVolumeClaim')).toEqual([]);
    expect(objectsOf(objects, 'StatefulSet').map((s) => s.metadata.name)).not.toContain('grafana');
  });

  it('reads the admin account from the Secret the user creates, and writes no Secret itself', () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
    expect(env.GF_SECURITY_ADMIN_USER.valueFrom).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'admin-user' } });
    expect(env.GF_SECURITY_ADMIN_PASSWORD.valueFrom).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } });
    expect(env.GF_SECURITY_ADMIN_PASSWORD.value).toBeUndefined();
    expect(objectsOf(objects, 'Secret')).toEqual([]);
  });

  it('turns sign-up, anonymous access and phoning home off', () => {
    const text = ini(objects);
    expect(text).toContain('[auth.anonymous]\nenabled = false');
    expect(text).toMatch(/\[users\]\nallow_sign_up = false\nallow_org_create = false/);
    expect(text).toContain('reporting_enabled = false');
    expect(text).not.toMatch(/admin_password|admin_user/);
    expect(text).toContain('[log]\nmode = console');
  });

  it('provisions the four datasources with stable uids, wired for correlation', () => {
    const ds = Object.fromEntries(datasources(objects).map((d) => [d.uid, d]));
    expect(Object.keys(ds)).toEqual(['prometheus', 'alertmanager', 'loki', 'jaeger']);
    expect(ds.prometheus).toMatchObject({ type: 'prometheus', url: 'http://prometheus.monitoring.svc.cluster.local:9090', isDefault: true, jsonData: { timeInterval: '30s' } });
    expect(ds.prometheus.jsonData.exemplarTraceIdDestinations).toEqual([{ name: 'trace_id', datasourceUid: 'jaeger' }, { name: 'traceID', datasourceUid: 'jaeger' }]);
    expect(ds.alertmanager).toMatchObject({ type: 'alertmanager', jsonData: { implementation: 'prometheus' } });
    expect(ds.loki.url).toBe('http://loki.monitoring.svc.cluster.local:3100');
    expect(ds.loki.jsonData.derivedFields[0]).toMatchObject({ datasourceUid: 'jaeger', url: '$${__value.raw}' });
    expect(ds.jaeger.url).toBe('http://jaeger.monitoring.svc.cluster.local:16686');
    expect(ds.jaeger.jsonData.tracesToLogsV2).toMatchObject({ datasourceUid: 'loki', customQuery: true });
    // Provisioning files interpolate $VAR: every literal $ must be doubled.
    expect(objectOf(objects, 'ConfigMap', 'grafana-datasources').data['datasources.yaml']).not.toMatch(/(^|[^$])\$\{/);
  });

  it('finds the trace id in JSON and logfmt lines with the Loki derived field', () => {
    const regex = new RegExp(datasources(objects).find((d) => d.uid === 'loki').jsonData.derivedFields[0].matcherRegex);
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    for (const line of [`{"level":"info","traceId":"${id}","msg":"ok"}`, `{"trace_id": "${id}"}`, `level=info trace_id=${id} msg=ok`, `ts=1 traceID=${id}`]) {
      expect(regex.exec(line)?.[1], line).toBe(id);
    }
    expect(regex.exec('{"requestId":"abc","msg":"no trace here"}')).toBeNull();
  });

  it('provisions one ConfigMap of pretty JSON per stack dashboard, mounted through one projected volume per folder', () => {
    const cms = objectsOf(objects, 'ConfigMap').filter((c) => c.metadata.name.startsWith('grafana-dashboard-'));
    expect(cms.map((c) => c.metadata.name).sort()).toEqual([
      'grafana-dashboard-vigil-alertmanager', 'grafana-dashboard-vigil-kubernetes-workloads', 'grafana-dashboard-vigil-loki',
      'grafana-dashboard-vigil-node-overview', 'grafana-dashboard-vigil-prometheus',
    ]);
    for (const cm of cms) {
      const [[file, json]] = Object.entries(cm.data as Record<string, string>);
      const uid = cm.metadata.name.replace('grafana-dashboard-', '');
      expect(file).toBe(`${uid}.json`);
      expect(JSON.parse(json).uid).toBe(uid);
      expect(json.split('\n').length).toBeGreaterThan(100);
    }
    const providers = configDoc(objects, 'grafana-providers', 'dashboards.yaml').providers;
    expect(providers).toEqual([expect.objectContaining({ folder: 'Vigil stack', type: 'file', allowUiUpdates: false, updateIntervalSeconds: 30, options: { path: '/var/lib/grafana-dashboards/vigil-stack', foldersFromFilesStructure: false } })]);
    const mount = container.volumeMounts.find((m: any) => m.mountPath === '/var/lib/grafana-dashboards/vigil-stack');
    const volume = spec.volumes.find((v: any) => v.name === mount.name);
    expect(volume.projected.sources.map((s: any) => s.configMap.name).sort()).toEqual(cms.map((c) => c.metadata.name).sort());
    expect(mount.subPath).toBeUndefined();
  });

  it('rolls the pod when the datasources change, but not when a dashboard does', () => {
    const sum = (o: Manifest[]) => objectOf(o, 'Deployment', 'grafana').spec.template.metadata.annotations['checksum/config'];
    expect(sum(objects)).toMatch(/^[0-9a-f]{64}$/);
    expect(sum(synthStack({ jaeger: { enabled: false } }))).not.toBe(sum(objects));
    const extra: DashboardDefinition = { title: 'Extra', folder: 'Vigil stack', rows: [row('R', [timeseries({ title: 'Up', queries: [{ expr: 'up' }] })])] };
    expect(sum(synthStack({}, { dashboards: [extra] }))).toBe(sum(objects));
  });

  it('is scraped by Prometheus and admitted only from the stack components that need it', () => {
    const jobs = configDoc(objects, 'prometheus-config', 'prometheus.yml').scrape_configs.map((j: any) => j.job_name);
    expect(jobs).toContain('grafana');
    const from = (policy: string, port: number) => objectOf(objects, 'NetworkPolicy', policy).spec.ingress
      .filter((r: any) => r.ports.some((p: any) => p.port === port))
      .flatMap((r: any) => r.from.map((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name']));
    expect(from('grafana-ingress', 3000)).toEqual(['prometheus']);
    expect(from('prometheus-ingress', 9090)).toContain('grafana');
    expect(from('alertmanager-ingress', 9093)).toContain('grafana');
    expect(from('loki-ingress', 3100)).toContain('grafana');
    expect(from('jaeger-ingress', 16686)).toContain('grafana');
  });
});

describe('Grafana follows the components that are deployed', () => {
  it('provisions no Loki or Jaeger datasource, and no Loki dashboard, when they are disabled', () => {
    const objects = synthStack({ loki: { enabled: false }, jaeger: { enabled: false } });
    const ds = datasources(objects);
    expect(ds.map((d) => d.uid)).toEqual(['prometheus', 'alertmanager']);
    expect(ds[0].jsonData.exemplarTraceIdDestinations).toBeUndefined();
    expect(objectsOf(objects, 'ConfigMap').map((c) => c.metadata.name)).not.toContain('grafana-dashboard-vigil-loki');
  });

  it('keeps the Loki datasource without a trace link when only Jaeger is disabled', () => {
    const ds = datasources(synthStack({ jaeger: { enabled: false } }));
    expect(ds.map((d) => d.uid)).toEqual(['prometheus', 'alertmanager', 'loki']);
    expect(ds[2].jsonData.derivedFields).toBeUndefined();
  });

  it('fails synth when a dashboard queries a datasource that is not deployed', () => {
    const d: DashboardDefinition = { title: 'App logs', rows: [row('Logs', [logs({ title: 'Errors', queries: [{ expr: '{namespace="apps"} |= "error"' }] })])] };
    expect(() => synthStack({ loki: { enabled: false } }, { dashboards: [d] })).toThrow(/dashboard 'App logs' queries loki, which is not deployed/);
  });

  it('fails synth on a broken query in a user dashboard, naming the dashboard and the panel', () => {
    const d: DashboardDefinition = { title: 'My app', rows: [row('Traffic', [timeseries({ title: 'Requests', queries: [{ expr: 'sum(rate(http_requests_total[5m])' }] })])] };
    expect(() => synthStack({}, { dashboards: [d] })).toThrow(/dashboard 'My app' \(uid my-app\): panel 'Requests' \(row 'Traffic', #1\), query A: PromQL does not parse/);
  });

  it('deploys nothing of Grafana when disabled', () => {
    const objects = synthStack({ grafana: { enabled: false } });
    expect(grafanaObjects(objects)).toEqual([]);
    expect(configDoc(objects, 'prometheus-config', 'prometheus.yml').scrape_configs.map((j: any) => j.job_name)).not.toContain('grafana');
  });
});

const SHARED_DB = { type: 'postgres' as const, host: 'postgres.db.svc:5432', user: 'grafana', password: { name: 'grafana-db', key: 'password' } };
const SECRET_KEY = { name: 'grafana-secret-key', key: 'secret-key' };

describe('Grafana logins and storage', () => {
  const config = {
    grafana: {
      rootUrl: 'https://grafana.example.com/',
      oauth: {
        clientId: 'vigil', clientSecret: { name: 'grafana-oauth', key: 'client-secret' },
        authUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', apiUrl: 'https://auth.example.com/userinfo',
        roleAttributePath: "contains(groups[*], 'admins') && 'Admin' || 'Viewer'",
      },
      ldap: {
        host: 'ldap.example.com', bindDn: 'cn=grafana,ou=services,dc=example,dc=org', bindPassword: { name: 'grafana-ldap', key: 'bind-password' },
        searchBaseDns: ['ou=people,dc=example,dc=org'], groupMappings: [{ groupDn: 'cn=admins,ou=groups,dc=example,dc=org', orgRole: 'Admin' as const }],
      },
      ingress: { host: 'grafana.example.com', tlsSecretName: 'grafana-tls', className: 'nginx' },
    },
  };
  const objects = synthStack(config);
  const spec = podSpec(objects);

  it('configures generic OAuth with the client secret read from a mounted Secret key', () => {
    const text = ini(objects);
    expect(text).toContain('[auth.generic_oauth]\nenabled = true');
    expect(text).toContain('client_secret = $__file{/etc/grafana/secrets/grafana-oauth/client-secret}');
    expect(text).toContain('root_url = https://grafana.example.com/');
    expect(text).toContain('cookie_secure = true');
    const volume = spec.volumes.find((v: any) => v.name === 'secret-grafana-oauth');
    expect(volume.secret).toEqual({ secretName: 'grafana-oauth', defaultMode: 0o440, items: [{ key: 'client-secret', path: 'client-secret' }] });
  });

  it('renders ldap.toml into a ConfigMap without the bind password', () => {
    const toml = objectOf(objects, 'ConfigMap', 'grafana-config').data['ldap.toml'] as string;
    expect(toml).toContain('bind_password = "$__file{/etc/grafana/secrets/grafana-ldap/bind-password}"');
    expect(toml).toContain('search_base_dns = ["ou=people,dc=example,dc=org"]');
    expect(toml).toContain('[[servers.group_mappings]]\ngroup_dn = "cn=admins,ou=groups,dc=example,dc=org"\norg_role = "Admin"');
    expect(ini(objects)).toContain('config_file = /etc/grafana/config/ldap.toml');
  });

  it('creates the Ingress and admits the ingress controller namespace to Grafana\'s port only', async () => {
    const ing = objectOf(objects, 'Ingress', 'grafana');
    expect(ing.spec).toMatchObject({ ingressClassName: 'nginx', tls: [{ hosts: ['grafana.example.com'], secretName: 'grafana-tls' }] });
    const np = objectOf(objects, 'NetworkPolicy', 'grafana-ingress-controller');
    expect(np.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 3000, protocol: 'TCP' }] }]);
    const errors = (await Promise.all(grafanaObjects(objects).map(kubeSchemaErrors))).flat();
    expect(errors).toEqual([]);
  });

  it('keeps Grafana\'s database on a volume when persistence is on', () => {
    const o = synthStack({ grafana: { persistence: { enabled: true, size: '5Gi' }, secretKey: { name: 'grafana-secret-key', key: 'secret-key' } } });
    const sts = objectOf(o, 'StatefulSet', 'grafana');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('5Gi');
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(objectsOf(o, 'Deployment').map((d) => d.metadata.name)).not.toContain('grafana');
  });

  it('shares a database between replicas, its password read from a Secret', () => {
    const o = synthStack({ grafana: { replicas: 2, database: SHARED_DB, secretKey: SECRET_KEY } });
    expect(objectOf(o, 'Deployment', 'grafana').spec.replicas).toBe(2);
    expect(ini(o)).toMatch(/\[database\]\ntype = postgres\nhost = postgres\.db\.svc:5432\nname = grafana\nuser = grafana\npassword = \$__file\{\/etc\/grafana\/secrets\/grafana-db\/password\}\nssl_mode = require/);
  });

  it('reads secret_key from a Secret whenever Grafana keeps a database, and refuses the public default there', () => {
    for (const grafana of [{ persistence: { enabled: true } }, { database: SHARED_DB }]) {
      expect(() => resolveConfig({ grafana } as StackConfigInput)).toThrow(/grafana.secretKey: Grafana keeps its database .* set grafana.secretKey to a Secret reference/);
      const o = synthStack({ grafana: { ...grafana, secretKey: SECRET_KEY } } as StackConfigInput);
      expect(ini(o)).toMatch(/\nsecret_key = \$__file\{\/etc\/grafana\/secrets\/grafana-secret-key\/secret-key\}\n/);
      const pod = objectsOf(o, grafana.database ? 'Deployment' : 'StatefulSet').find((w) => w.metadata.name === 'grafana')!.spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'secret-grafana-secret-key', secret: { secretName: 'grafana-secret-key', defaultMode: 0o440, items: [{ key: 'secret-key', path: 'secret-key' }] } });
    }
    // Stateless: nothing is stored beyond a restart, so there is nothing to encrypt.
    expect(ini(synthStack())).not.toContain('secret_key');
  });

  it('clusters the alerting of several replicas through a headless Service, so each notification goes out once', () => {
    const o = synthStack({ grafana: { replicas: 2, database: SHARED_DB, secretKey: SECRET_KEY } });
    expect(ini(o)).toContain('[unified_alerting]\nenabled = true\nha_listen_address = 0.0.0.0:9094\nha_advertise_address = $__env{POD_IP}:9094\nha_peers = grafana-headless.monitoring.svc.cluster.local:9094\n');
    const svc = objectOf(o, 'Service', 'grafana-headless');
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/part-of': 'vigil' } });
    expect(svc.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['9094/TCP', '9094/UDP']);
    const c = objectOf(o, 'Deployment', 'grafana').spec.template.spec.containers[0];
    expect(c.env).toContainEqual({ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });
    const np = objectOf(o, 'NetworkPolicy', 'grafana-ingress');
    expect(np.spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/part-of': 'vigil' } } }],
      ports: [{ port: 9094, protocol: 'TCP' }, { port: 9094, protocol: 'UDP' }],
    });
    // One replica: no cluster, no extra Service.
    expect(ini(synthStack())).not.toContain('[unified_alerting]');
    expect(objectsOf(synthStack(), 'Service', 'grafana-headless')).toEqual([]);
  });

  it('writes no credential into any Grafana object', () => {
    const text = grafanaObjects(objects).map((o) => YAML.stringify(o)).join('\n');
    expect(text).not.toMatch(/(client_secret|bind_password|password)\s*=\s*"?(?!\$__file\{)[^\s"]/);
  });
});

describe('Grafana configuration errors', () => {
  const problem = (grafana: object) => {
    try {
      resolveConfig({ grafana } as never);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('explains what each mistake needs', () => {
    expect(problem({ replicas: 2 })).toMatch(/grafana\.replicas: 2 replicas need a shared database: set grafana\.database/);
    expect(problem({ oauth: { clientId: 'x', clientSecret: { name: 's', key: 'k' }, authUrl: 'https://a/x', tokenUrl: 'https://a/y', apiUrl: 'https://a/z' } })).toMatch(/grafana\.rootUrl: OAuth needs the URL users reach Grafana at/);
    expect(problem({ ldap: { host: 'ldap', bindDn: 'cn=grafana', searchBaseDns: ['dc=x'] } })).toMatch(/grafana\.ldap\.bindPassword: set bindPassword/);
    expect(problem({ oauth: { clientId: 'x', clientSecret: 'hunter2' } })).toMatch(/grafana\.oauth\.clientSecret: expected a Secret reference/);
    expect(problem({ oauth: { clientId: 'x', clientSecret: 'hunter2' } })).not.toContain('hunter2');
    expect(problem({ adminPassword: 'admin' })).toMatch(/unknown field\(s\) "adminPassword"/);
  });
});
