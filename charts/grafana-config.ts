import { DATASOURCE_NAMES, DATASOURCE_TYPES, DATASOURCE_UIDS, ProvisionedDatasource } from '../dashboards/datasources';
import type { DashboardFolder } from '../dashboards/provisioning';
import type { GrafanaSettings } from './config-grafana';
import { toYaml } from '../lib/render';
import { SecretKeyRef, secretFilePath } from '../lib/validators';

/**
 * Pure renderers of Grafana's configuration: `grafana.ini`, `ldap.toml`, the datasource and the
 * dashboard-provider provisioning files. Secrets appear only as `$__file{<path>}` references to files
 * mounted from the Secrets the user created; Grafana expands them when it reads the file.
 */

/** Where Grafana finds mounted Secret keys: `<dir>/<secret name>/<key>`. */
export const GRAFANA_SECRETS_DIR = '/etc/grafana/secrets';
/** Directory of grafana.ini and ldap.toml. */
export const GRAFANA_CONFIG_DIR = '/etc/grafana/config';
/** Parent directory of the per-folder dashboard directories. */
export const GRAFANA_DASHBOARDS_DIR = '/var/lib/grafana-dashboards';
/** Grafana's data directory (SQLite database, plugins). */
export const GRAFANA_DATA_DIR = '/var/lib/grafana';
/** Search index, kept off the data volume (it is rebuilt at start). */
export const GRAFANA_SEARCH_DIR = '/var/lib/grafana-search';

/** Base URLs of the datasources to provision; a component that is not deployed has none. */
export interface DatasourceEndpoints {
  readonly prometheus: string;
  /** @default - not provisioned */
  readonly alertmanager?: string;
  /** @default - not provisioned */
  readonly loki?: string;
  /** @default - not provisioned */
  readonly jaeger?: string;
}

/** Options of {@link renderDatasources}. */
export interface DatasourceOptions {
  /** Prometheus' scrape interval: Grafana's `$__rate_interval` is at least four times this. */
  readonly scrapeInterval: string;
}

/** The datasources an endpoint set provisions, in a fixed order. */
export function provisionedDatasources(endpoints: DatasourceEndpoints): ProvisionedDatasource[] {
  return (['prometheus', 'alertmanager', 'loki', 'jaeger'] as const).filter((d) => endpoints[d] !== undefined);
}

/**
 * A trace id in a log line: a JSON field (`"traceId":"…"`, `"trace_id": "…"`) or a logfmt pair
 * (`trace_id=…`, `traceID=…`). Grafana runs it in the browser, so it is a JavaScript regex.
 */
export const TRACE_ID_REGEX = String.raw`(?:"trace_?[iI][dD]"\s*:\s*"|\btrace_?[iI][dD]=)([0-9a-fA-F]{16,32})`;

/** Exemplar labels that carry a trace id: OpenTelemetry SDKs write `trace_id`, several client libraries `traceID`. */
export const EXEMPLAR_TRACE_LABELS = ['trace_id', 'traceID'] as const;

/** Provisioning YAML interpolates `$VAR`; a literal `$` is written `$$`. */
function escapeDollars<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeDollars) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)])) as T;
  return value;
}

/**
 * `datasources.yaml`: every deployed component under its fixed uid, wired for correlation: Prometheus
 * exemplars and Loki trace ids open the trace in Jaeger, a Jaeger span opens its logs in Loki.
 */
export function renderDatasources(endpoints: DatasourceEndpoints, options: DatasourceOptions): string {
  const has = (d: ProvisionedDatasource) => endpoints[d] !== undefined;
  const base = (d: ProvisionedDatasource) => ({
    name: DATASOURCE_NAMES[d], uid: DATASOURCE_UIDS[d], type: DATASOURCE_TYPES[d], access: 'proxy', url: endpoints[d]!, editable: false,
  });
  const datasources: Array<Record<string, unknown>> = [{
    ...base('prometheus'),
    isDefault: true,
    jsonData: {
      httpMethod: 'POST',
      timeInterval: options.scrapeInterval,
      prometheusType: 'Prometheus',
      ...(has('jaeger') ? { exemplarTraceIdDestinations: EXEMPLAR_TRACE_LABELS.map((name) => ({ name, datasourceUid: DATASOURCE_UIDS.jaeger })) } : {}),
    },
  }];
  if (has('alertmanager')) {
    datasources.push({ ...base('alertmanager'), jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false } });
  }
  if (has('loki')) {
    datasources.push({
      ...base('loki'),
      jsonData: {
        maxLines: 1000,
        ...(has('jaeger') ? {
          derivedFields: [{ name: 'TraceID', matcherType: 'regex', matcherRegex: TRACE_ID_REGEX, datasourceUid: DATASOURCE_UIDS.jaeger, url: '${__value.raw}', urlDisplayLabel: 'Open trace in Jaeger' }],
        } : {}),
      },
    });
  }
  if (has('jaeger')) {
    datasources.push({
      ...base('jaeger'),
      jsonData: {
        nodeGraph: { enabled: true },
        ...(has('loki') ? {
          tracesToLogsV2: {
            datasourceUid: DATASOURCE_UIDS.loki,
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            // The log agents and Loki's OTLP endpoint keep the trace id as structured metadata
            // `trace_id`; Loki 3 gives every stream a `service_name`, so this selector matches them all.
            customQuery: true,
            query: '{service_name=~".+"} | trace_id="${__trace.traceId}"',
          },
        } : {}),
      },
    });
  }
  // prune: a datasource whose component was disabled is deleted, not left pointing at nothing.
  return toYaml({ apiVersion: 1, prune: true, datasources: escapeDollars(datasources) });
}

/** `dashboards.yaml`: one file provider per folder, polling its directory so edits apply without a restart. */
export function renderDashboardProviders(folders: readonly DashboardFolder[], updateIntervalSeconds: number): string {
  return toYaml({
    apiVersion: 1,
    providers: folders.map((f) => ({
      name: f.uid,
      orgId: 1,
      folder: f.title,
      folderUid: f.uid,
      type: 'file',
      // The files are the source of truth: UI edits cannot be saved, and a removed file removes its dashboard.
      disableDeletion: false,
      allowUiUpdates: false,
      updateIntervalSeconds,
      options: { path: `${GRAFANA_DASHBOARDS_DIR}/${f.uid}`, foldersFromFilesStructure: false },
    })),
  });
}

/** The Secret keys Grafana's configuration reads as files (secret key, OAuth client secret, LDAP bind password, database password). */
export function grafanaSecretRefs(s: GrafanaSettings): SecretKeyRef[] {
  return [s.secretKey, s.oauth?.clientSecret, s.ldap?.bindPassword, s.database?.password].filter((r): r is SecretKeyRef => r !== undefined);
}

/** Grafana's unified-alerting gossip port (its embedded Alertmanager's cluster, `ha_listen_address`). */
export const GRAFANA_HA_PORT = 9094;

/** Options of {@link renderGrafanaIni} that come from the deployment rather than the settings. */
export interface GrafanaIniOptions {
  /**
   * `host:port` every replica resolves to all its peers (a headless Service); set with more than
   * one replica. @default - one replica, no alerting cluster
   */
  readonly haPeers?: string;
}

const fileRef = (ref: SecretKeyRef) => `$__file{${secretFilePath(GRAFANA_SECRETS_DIR, ref)}}`;

type IniValue = string | number | boolean;

/**
 * Why a string cannot be a `grafana.ini` value, or undefined. A control character (a newline above
 * all) would start new lines, and so new sections; a triple quote would end the quoting below; and
 * Grafana expands `${VAR}`, `$__env{…}` and `$__file{…}` in every value when it reads the file
 * (grafana/grafana pkg/setting/expanders.go), and its ini parser substitutes `%(key)s`, so a value could pull an environment variable or a
 * mounted secret into a setting shown on the login page. None of these say what the value is.
 */
export function iniValueProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains a control character (a line break or tab), which would start a new line of grafana.ini';
  if (value.includes('"""')) return 'contains """, which ends a quoted grafana.ini value';
  if (/\$(__\w+)?\{/.test(value)) return 'contains ${…} or $__…{…}, which Grafana expands from the environment or files';
  // gopkg.in/ini.v1 replaces %(key)s with another key's value when a value is read (key.go, transformValue).
  if (value.includes('%(')) return 'contains %(…), which the ini parser replaces with another setting\'s value';
  return undefined;
}

/**
 * One `grafana.ini` value. Grafana's ini parser reads `;` and `#` as the start of a comment and
 * strips quotes and surrounding spaces, so such a value is wrapped in triple quotes, as
 * grafana/grafana conf/defaults.ini prescribes ("If the password contains # or ; you have to wrap it
 * with triple quotes"); other values are written as they are, so the file reads as usual.
 */
export function iniValue(v: IniValue): string {
  if (typeof v !== 'string') return String(v);
  // Our own `$__file{…}` and `$__env{…}` references are meant to expand; the schema refuses them in user text.
  const problem = iniValueProblem(v.replace(/\$(__\w+)?\{/g, ''));
  if (problem) throw new Error(`a grafana.ini value ${problem}`);
  return /[;#"'`\\]|^\s|\s$/.test(v) ? `"""${v}"""` : v;
}

/** INI text from sections in a fixed order; `undefined` values are left out. */
export function toIni(sections: ReadonlyArray<[string, Record<string, IniValue | undefined>]>): string {
  return sections
    .map(([name, values]) => {
      const lines = Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} = ${iniValue(v!)}`);
      return `[${name}]\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

/** `grafana.ini`: sign-up and anonymous access off, console logging, provisioning paths, optional OAuth/LDAP/database. */
export function renderGrafanaIni(s: GrafanaSettings, options: GrafanaIniOptions = {}): string {
  const https = s.rootUrl?.startsWith('https://') ?? false;
  const sections: Array<[string, Record<string, IniValue | undefined>]> = [
    ['analytics', { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false, feedback_links_enabled: false }],
    ['auth.anonymous', { enabled: false }],
    ['log', { mode: 'console', level: 'info' }],
    ['paths', { data: GRAFANA_DATA_DIR, plugins: `${GRAFANA_DATA_DIR}/plugins`, provisioning: '/etc/grafana/provisioning' }],
    // No plugin downloads from grafana.com at start: a stateless pod would fetch them on every start.
    ['plugins', { preinstall_disabled: true }],
    ['security', {
      disable_gravatar: true, cookie_secure: https, cookie_samesite: 'lax', allow_embedding: false, disable_initial_admin_creation: false,
      // Encrypts what Grafana stores; the default in grafana/grafana conf/defaults.ini is public.
      secret_key: s.secretKey ? fileRef(s.secretKey) : undefined,
    }],
    ['server', { http_port: 3000, root_url: s.rootUrl, enable_gzip: true }],
    ['snapshots', { external_enabled: false }],
    // With several replicas every one evaluates the Grafana-managed rules; their embedded
    // Alertmanagers gossip (ha_listen_address, ha_advertise_address, ha_peers in grafana/grafana
    // pkg/setting/setting_unified_alerting.go) so each notification goes out once, not once per replica.
    ...(options.haPeers
      ? [['unified_alerting', {
        enabled: true,
        ha_listen_address: `0.0.0.0:${GRAFANA_HA_PORT}`,
        ha_advertise_address: `$__env{POD_IP}:${GRAFANA_HA_PORT}`,
        ha_peers: options.haPeers,
      }] as [string, Record<string, IniValue | undefined>]]
      : []),
    ['unified_storage', { index_path: `${GRAFANA_SEARCH_DIR}/bleve` }],
    ['users', { allow_sign_up: false, allow_org_create: false, auto_assign_org_role: 'Viewer' }],
  ];
  if (s.oauth) {
    const o = s.oauth;
    sections.push(['auth.generic_oauth', {
      enabled: true, name: o.name, client_id: o.clientId, client_secret: fileRef(o.clientSecret), scopes: o.scopes,
      auth_url: o.authUrl, token_url: o.tokenUrl, api_url: o.apiUrl, allow_sign_up: o.allowSignUp, auto_login: o.autoLogin,
      use_pkce: o.usePkce, role_attribute_path: o.roleAttributePath,
    }]);
  }
  if (s.ldap) sections.push(['auth.ldap', { enabled: true, config_file: `${GRAFANA_CONFIG_DIR}/ldap.toml`, allow_sign_up: s.ldap.allowSignUp }]);
  if (s.database) {
    const d = s.database;
    sections.push(['database', { type: d.type, host: d.host, name: d.name, user: d.user, password: fileRef(d.password), ssl_mode: d.type === 'postgres' ? d.sslMode : MYSQL_SSL_MODES[d.sslMode] }]);
  }
  return toIni(sections);
}

/**
 * The MySQL spelling of each `sslMode`: Grafana's MySQL driver takes "true" (TLS, verified),
 * "skip-verify" (TLS, not verified) or "false" (grafana/grafana conf/defaults.ini, [database] ssl_mode).
 */
const MYSQL_SSL_MODES = { disable: 'false', require: 'skip-verify', 'verify-full': 'true' } as const;

const tomlString = (s: string) => JSON.stringify(s);

/** `ldap.toml` without secrets: the bind password is a `$__file{}` reference Grafana expands when it reads the file. */
export function renderLdapToml(ldap: NonNullable<GrafanaSettings['ldap']>): string {
  const lines = [
    '[[servers]]',
    `host = ${tomlString(ldap.host)}`,
    `port = ${ldap.port}`,
    `use_ssl = ${ldap.useSsl}`,
    `start_tls = ${ldap.startTls}`,
    `ssl_skip_verify = ${ldap.skipVerify}`,
    `bind_dn = ${tomlString(ldap.bindDn)}`,
    ...(ldap.bindPassword ? [`bind_password = ${tomlString(fileRef(ldap.bindPassword))}`] : []),
    `search_filter = ${tomlString(ldap.searchFilter)}`,
    `search_base_dns = [${ldap.searchBaseDns.map(tomlString).join(', ')}]`,
    '',
    '[servers.attributes]',
    `username = ${tomlString(ldap.attributes.username)}`,
    `name = ${tomlString(ldap.attributes.name)}`,
    `surname = ${tomlString(ldap.attributes.surname)}`,
    `email = ${tomlString(ldap.attributes.email)}`,
    `member_of = ${tomlString(ldap.attributes.memberOf)}`,
    ...ldap.groupMappings.flatMap((m) => ['', '[[servers.group_mappings]]', `group_dn = ${tomlString(m.groupDn)}`, `org_role = ${tomlString(m.orgRole)}`, `grafana_admin = ${m.grafanaAdmin}`]),
  ];
  return `${lines.join('\n')}\n`;
}
