import { z } from 'zod';
import { byteQuantity, dnsLabel, publicHttpUrl, resources, secretKeyRef } from '../lib/validators';
import { iniValueProblem } from './grafana-config';

/**
 * The `grafana` section of the stack configuration; `charts/config.ts` composes it into the one schema.
 * Every credential is a reference to a Secret the user creates: the admin account, the OAuth client
 * secret, the LDAP bind password and the database password never enter `dist/`.
 */

const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'expected a Secret key: letters, digits, "-", "_" and "."');
/**
 * Text written into `grafana.ini`: one line, no triple quote (the renderer quotes values holding `;`
 * or `#` as grafana/grafana conf/defaults.ini prescribes, `"""…"""`), and no `${…}`/`$__…{…}`, which
 * Grafana expands from the environment or from files when it reads the file. The message never
 * repeats the value.
 */
const iniText = z.string().superRefine((v, ctx) => {
  const problem = iniValueProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; it is written into grafana.ini` });
});
const iniUrl = (fix: string) => publicHttpUrl(fix).pipe(iniText);
const URL_FIX = 'write the URL without credentials; secrets come from Secret references';

const hostName = z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected a host name such as "grafana.example.com"');

/** A DNS-1123 subdomain (IngressClass names): lower-case labels joined by ".", at most 253 characters. */
const dnsSubdomain = z.string().max(253, 'expected at most 253 characters (a DNS-1123 subdomain)')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", e.g. "nginx"');

/**
 * An annotation key as the API server validates it (k8s.io/apimachinery v0.37.2
 * pkg/api/validation/objectmeta.go ValidateAnnotations → validation.IsQualifiedName): an optional
 * DNS-1123 subdomain prefix and "/", then a name of at most 63 characters of letters, digits, "-",
 * "_" and ".", starting and ending with a letter or digit.
 */
function isAnnotationKey(k: string): boolean {
  const parts = k.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const nameOk = name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix));
  return nameOk && prefixOk;
}
const annotations = z.record(z.string(), z.string()).superRefine((m, ctx) => {
  for (const k of Object.keys(m)) {
    if (!isAnnotationKey(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'expected an annotation key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or ".", e.g. "cert-manager.io/cluster-issuer"' });
  }
});

const oauthSchema = z.strictObject({
  name: iniText.min(1).default('SSO').describe('Label of the login button ("Sign in with …").'),
  clientId: iniText.min(1).describe('OAuth client id (not a secret).'),
  clientSecret: secretKeyRef.describe('Secret key holding the OAuth client secret.'),
  authUrl: iniUrl(URL_FIX).describe('Authorization endpoint, e.g. `https://auth.example.com/application/o/authorize/`.'),
  tokenUrl: iniUrl(URL_FIX).describe('Token endpoint.'),
  apiUrl: iniUrl(URL_FIX).describe('User-info endpoint.'),
  scopes: iniText.default('openid profile email').describe('Space-separated scopes.'),
  roleAttributePath: iniText.optional().describe('JMESPath mapping the user-info to a Grafana role, e.g. `contains(groups[*], \'admins\') && \'Admin\' || \'Viewer\'`; unset gives every user the Viewer role.'),
  allowSignUp: z.boolean().default(false).describe('Create a Grafana user on the first OAuth login of anyone the provider authenticates (their role from `roleAttributePath`, else Viewer). Off: an admin creates the users first.'),
  autoLogin: z.boolean().default(false).describe('Skip the login page and go straight to the provider.'),
  usePkce: z.boolean().default(true).describe('Use PKCE (RFC 7636).'),
});

const ldapSchema = z.strictObject({
  host: z.string().min(1).describe('LDAP server host name.'),
  port: z.number().int().min(1).max(65535).default(636).describe('Port: 636 for LDAPS (`useSsl`), 389 for StartTLS (`useSsl: false, startTls: true`).'),
  useSsl: z.boolean().default(true).describe('LDAPS (TLS from the first byte).'),
  startTls: z.boolean().default(false).describe('Upgrade a plain connection with StartTLS.'),
  skipVerify: z.boolean().default(false).describe('Do not verify the server certificate (testing only).'),
  allowPlaintext: z.boolean().default(false).describe('Allow plain LDAP, with neither `useSsl` nor `startTls`: the bind password and every password typed at Grafana\'s login cross the network unencrypted. For a lab only.'),
  bindDn: z.string().min(1).describe('DN of the search user, e.g. `cn=grafana,ou=services,dc=example,dc=org`; with `%s` in it and no `bindPassword`, the user binds as themselves.'),
  bindPassword: secretKeyRef.optional().describe('Secret key holding the search user\'s password.'),
  searchFilter: z.string().default('(uid=%s)').describe('User search filter, e.g. `(sAMAccountName=%s)` for Active Directory.'),
  searchBaseDns: z.array(z.string().min(1)).min(1).describe('Base DNs to search for users.'),
  attributes: z.strictObject({
    username: z.string().default('uid').describe('Attribute holding the login name.'),
    name: z.string().default('givenName').describe('First name.'),
    surname: z.string().default('sn').describe('Last name.'),
    email: z.string().default('mail').describe('E-mail.'),
    memberOf: z.string().default('memberOf').describe('Group membership.'),
  }).prefault({}).describe('LDAP attribute names.'),
  groupMappings: z.array(z.strictObject({
    groupDn: z.string().min(1).describe('Group DN, or `*` for everyone.'),
    orgRole: z.enum(['Admin', 'Editor', 'Viewer']).describe('Grafana role of the group\'s members.'),
    grafanaAdmin: z.boolean().default(false).describe('Also make them Grafana server admins.'),
  })).default([]).describe('Group to role mappings, first match wins.'),
  allowSignUp: z.boolean().default(false).describe('Create a Grafana user on the first LDAP login of anyone the search finds (their role from `groupMappings`; without a mapping for them, Grafana refuses the login). Off: an admin creates the users first.'),
});

export const grafanaSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Grafana with the provisioned datasources and dashboards.'),
  adminSecret: z.strictObject({
    name: dnsLabel.default('grafana-admin').describe('Name of the Secret holding the admin account (you create it; see docs/grafana.md).'),
    userKey: secretKey.default('admin-user').describe('Key holding the admin user name.'),
    passwordKey: secretKey.default('admin-password').describe('Key holding the admin password.'),
  }).prefault({}).describe('The admin account: read from a Secret, never written to `dist/`.'),
  secretKey: secretKeyRef.optional().describe('Secret key holding Grafana\'s `secret_key`, which encrypts the datasource passwords, tokens and contact points Grafana stores in its database. Required with `persistence` or `database`: Grafana\'s built-in key is public. See docs/grafana.md.'),
  rootUrl: iniUrl(URL_FIX).refine((u) => /^https?:\/\/[^/]+\/?$/.test(u), {
    // Grafana reads a path in root_url as where the reverse proxy mounts it; Vigil serves Grafana at
    // "/" (its Ingress path, probes and datasource links), so the links would point where nothing answers.
    message: 'a path in rootUrl (a sub path) is not supported: Vigil serves Grafana at the root of its host (its Ingress, probes and links use "/"); give Grafana a host of its own, e.g. "https://grafana.example.com/"',
  }).optional().describe('URL users reach Grafana at, e.g. `https://grafana.example.com/`, without a path (Grafana is served at the root of its host); needed for OAuth redirects and links in notifications.'),
  replicas: z.number().int().min(1).max(5).default(1).describe('Replicas; more than one needs `database` (users and sessions must be shared).'),
  persistence: z.strictObject({
    enabled: z.boolean().default(false).describe('Keep `/var/lib/grafana` on a volume (users, preferences, anything created in the UI). Off: everything Vigil provisions is rebuilt at start.'),
    size: byteQuantity.default('2Gi').describe('Size of the PersistentVolumeClaim.'),
    storageClassName: z.string().optional().describe('StorageClass of the claim; unset uses the cluster default.'),
  }).prefault({}).describe('Grafana\'s own database on a volume instead of an emptyDir.'),
  database: z.strictObject({
    type: z.enum(['postgres', 'mysql']).describe('Database engine.'),
    host: z.string().regex(/^[^\s:/]+:\d+$/, 'expected host:port, e.g. "postgres.db.svc:5432"').describe('`host:port`.'),
    name: iniText.min(1).default('grafana').describe('Database name.'),
    user: iniText.min(1).describe('User name (not a secret).'),
    password: secretKeyRef.describe('Secret key holding the password.'),
    sslMode: z.enum(['disable', 'require', 'verify-full']).default('require').describe('TLS to the database: `require` (encrypted, certificate not verified), `verify-full` (verified against the system CAs) or `disable`. PostgreSQL `sslmode`; for MySQL Grafana\'s `ssl_mode` `skip-verify`, `true` or `false`.'),
  }).optional().describe('An external database for Grafana\'s users, sessions and UI content, shared by all replicas.'),
  oauth: oauthSchema.optional().describe('Generic OAuth / OpenID Connect login (Authentik, Keycloak, Dex, …).'),
  ldap: ldapSchema.optional().describe('LDAP login; the rendered `ldap.toml` carries no password (it reads `bindPassword` from the Secret).'),
  ingress: z.strictObject({
    host: hostName.describe('Host name, e.g. `grafana.example.com`.'),
    className: dnsSubdomain.optional().describe('IngressClass; unset uses the cluster default.'),
    tlsSecretName: dnsLabel.optional().describe('Secret holding the TLS certificate (e.g. from cert-manager).'),
    controllerNamespace: dnsLabel.default('ingress-nginx').describe('Namespace of the ingress controller, admitted through the network policy to Grafana\'s port.'),
    annotations: annotations.default({}).describe('Annotations of the Ingress (e.g. `cert-manager.io/cluster-issuer`; with a cert-manager annotation the HTTP-01 solver pod is admitted from `controllerNamespace` too).'),
  }).optional().describe('Expose Grafana through an Ingress; without it, use `kubectl port-forward`.'),
  dashboardsUpdateIntervalSeconds: z.number().int().min(5).max(3600).default(30).describe('How often Grafana re-reads the provisioned dashboard files (edits apply without a restart).'),
  resources: resources.default({ requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '384Mi' } }).describe('Requests and memory limit.'),
}).prefault({});

export type GrafanaSettings = z.output<typeof grafanaSchema>;

/** Cross-field checks of the `grafana` section; `charts/config.ts` calls this from the schema's `superRefine`. */
export function refineGrafana(g: GrafanaSettings, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['grafana', ...path], message });
  if (g.replicas > 1 && !g.database) issue(['replicas'], `${g.replicas} replicas need a shared database: set grafana.database (or use 1 replica)`);
  if (g.replicas > 1 && g.persistence.enabled) issue(['persistence', 'enabled'], 'a volume is ReadWriteOnce: with several replicas keep Grafana\'s state in grafana.database instead');
  if ((g.persistence.enabled || g.database) && !g.secretKey) {
    issue(['secretKey'], `Grafana keeps its database (${g.database ? 'grafana.database' : 'grafana.persistence'}) and encrypts the secrets in it with secret_key, whose built-in value is public: set grafana.secretKey to a Secret reference, e.g. { name: "grafana-secret-key", key: "secret-key" } (see docs/grafana.md)`);
  }
  if (g.oauth && !g.rootUrl) issue(['rootUrl'], 'OAuth needs the URL users reach Grafana at (its redirect URL is built from it): set grafana.rootUrl, e.g. "https://grafana.example.com/"');
  if (g.ldap && g.ldap.useSsl && g.ldap.startTls) issue(['ldap', 'startTls'], 'choose useSsl (LDAPS, port 636) or startTls (port 389), not both');
  if (g.ldap && g.ldap.port === 389 && g.ldap.useSsl) {
    issue(['ldap', 'useSsl'], 'port 389 is plain LDAP, and useSsl (LDAPS) would fail the TLS handshake: write useSsl: false, startTls: true (or port 636 for LDAPS)');
  }
  if (g.ldap && !g.ldap.useSsl && !g.ldap.startTls && !g.ldap.allowPlaintext) {
    issue(['ldap', 'startTls'], 'plain LDAP would send every login password unencrypted: use startTls: true (port 389) or useSsl: true (port 636); for a lab without TLS, set allowPlaintext: true');
  }
  if (g.ldap && g.ldap.port === 636 && !g.ldap.useSsl) {
    issue(['ldap', 'useSsl'], 'port 636 is LDAPS: write useSsl: true (or port 389 with startTls: true)');
  }
  if (g.adminSecret.userKey === g.adminSecret.passwordKey) {
    issue(['adminSecret', 'passwordKey'], `userKey and passwordKey are both "${g.adminSecret.userKey}": the admin password would be the user name; use two keys, e.g. "admin-user" and "admin-password"`);
  }
  if (g.ingress && g.rootUrl) {
    const host = new URL(g.rootUrl).hostname;
    if (host !== g.ingress.host && !(g.ingress.host.startsWith('*.') && host.endsWith(g.ingress.host.slice(1)))) {
      issue(['rootUrl'], `rootUrl's host "${host}" differs from grafana.ingress.host "${g.ingress.host}": OAuth redirects and links would point where the Ingress does not answer; use the same host in both`);
    }
  }
  if (g.ldap && !g.ldap.bindPassword && !g.ldap.bindDn.includes('%s')) {
    issue(['ldap', 'bindPassword'], 'set bindPassword (a Secret reference), or put %s in bindDn so users bind as themselves');
  }
}
