import { z } from 'zod';
import { dnsLabel, httpUrl, quantity, resources, secretKeyRef } from '../lib/validators';

/**
 * The `grafana` section of the stack configuration; `charts/config.ts` composes it into the one schema.
 * Every credential is a reference to a Secret the user creates: the admin account, the OAuth client
 * secret, the LDAP bind password and the database password never enter `dist/`.
 */

const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'expected a Secret key: letters, digits, "-", "_" and "."');
const hostName = z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected a host name such as "grafana.example.com"');

const oauthSchema = z.strictObject({
  name: z.string().min(1).default('SSO').describe('Label of the login button ("Sign in with …").'),
  clientId: z.string().min(1).describe('OAuth client id (not a secret).'),
  clientSecret: secretKeyRef.describe('Secret key holding the OAuth client secret.'),
  authUrl: httpUrl.describe('Authorization endpoint, e.g. `https://auth.example.com/application/o/authorize/`.'),
  tokenUrl: httpUrl.describe('Token endpoint.'),
  apiUrl: httpUrl.describe('User-info endpoint.'),
  scopes: z.string().default('openid profile email').describe('Space-separated scopes.'),
  roleAttributePath: z.string().optional().describe('JMESPath mapping the user-info to a Grafana role, e.g. `contains(groups[*], \'admins\') && \'Admin\' || \'Viewer\'`; unset gives every user the Viewer role.'),
  allowSignUp: z.boolean().default(true).describe('Create a Grafana user on first OAuth login.'),
  autoLogin: z.boolean().default(false).describe('Skip the login page and go straight to the provider.'),
  usePkce: z.boolean().default(true).describe('Use PKCE (RFC 7636).'),
});

const ldapSchema = z.strictObject({
  host: z.string().min(1).describe('LDAP server host name.'),
  port: z.number().int().min(1).max(65535).default(636).describe('Port: 636 for LDAPS, 389 for plain or StartTLS.'),
  useSsl: z.boolean().default(true).describe('LDAPS (TLS from the first byte).'),
  startTls: z.boolean().default(false).describe('Upgrade a plain connection with StartTLS.'),
  skipVerify: z.boolean().default(false).describe('Do not verify the server certificate (testing only).'),
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
  allowSignUp: z.boolean().default(true).describe('Create a Grafana user on first LDAP login.'),
});

export const grafanaSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Deploy Grafana with the provisioned datasources and dashboards.'),
  adminSecret: z.strictObject({
    name: dnsLabel.default('grafana-admin').describe('Name of the Secret holding the admin account (you create it; see docs/grafana.md).'),
    userKey: secretKey.default('admin-user').describe('Key holding the admin user name.'),
    passwordKey: secretKey.default('admin-password').describe('Key holding the admin password.'),
  }).prefault({}).describe('The admin account: read from a Secret, never written to `dist/`.'),
  secretKey: secretKeyRef.optional().describe('Secret key holding Grafana\'s `secret_key`, which encrypts the datasource passwords, tokens and contact points Grafana stores in its database. Required with `persistence` or `database`: Grafana\'s built-in key is public. See docs/grafana.md.'),
  rootUrl: httpUrl.refine((u) => /^https?:\/\/[^/]+\/?$/.test(u), {
    // Grafana reads a path in root_url as where the reverse proxy mounts it; Vigil serves Grafana at
    // "/" (its Ingress path, probes and datasource links), so the links would point where nothing answers.
    message: 'a path in rootUrl (a sub path) is not supported: Vigil serves Grafana at the root of its host (its Ingress, probes and links use "/"); give Grafana a host of its own, e.g. "https://grafana.example.com/"',
  }).optional().describe('URL users reach Grafana at, e.g. `https://grafana.example.com/`, without a path (Grafana is served at the root of its host); needed for OAuth redirects and links in notifications.'),
  replicas: z.number().int().min(1).max(5).default(1).describe('Replicas; more than one needs `database` (users and sessions must be shared).'),
  persistence: z.strictObject({
    enabled: z.boolean().default(false).describe('Keep `/var/lib/grafana` on a volume (users, preferences, anything created in the UI). Off: everything Vigil provisions is rebuilt at start.'),
    size: quantity.default('2Gi').describe('Size of the PersistentVolumeClaim.'),
    storageClassName: z.string().optional().describe('StorageClass of the claim; unset uses the cluster default.'),
  }).prefault({}).describe('Grafana\'s own database on a volume instead of an emptyDir.'),
  database: z.strictObject({
    type: z.enum(['postgres', 'mysql']).describe('Database engine.'),
    host: z.string().regex(/^[^\s:/]+:\d+$/, 'expected host:port, e.g. "postgres.db.svc:5432"').describe('`host:port`.'),
    name: z.string().min(1).default('grafana').describe('Database name.'),
    user: z.string().min(1).describe('User name (not a secret).'),
    password: secretKeyRef.describe('Secret key holding the password.'),
    sslMode: z.enum(['disable', 'require', 'verify-full']).default('require').describe('TLS mode (PostgreSQL `sslmode`).'),
  }).optional().describe('An external database for Grafana\'s users, sessions and UI content, shared by all replicas.'),
  oauth: oauthSchema.optional().describe('Generic OAuth / OpenID Connect login (Authentik, Keycloak, Dex, …).'),
  ldap: ldapSchema.optional().describe('LDAP login; the rendered `ldap.toml` carries no password (it reads `bindPassword` from the Secret).'),
  ingress: z.strictObject({
    host: hostName.describe('Host name, e.g. `grafana.example.com`.'),
    className: z.string().optional().describe('IngressClass; unset uses the cluster default.'),
    tlsSecretName: dnsLabel.optional().describe('Secret holding the TLS certificate (e.g. from cert-manager).'),
    controllerNamespace: dnsLabel.default('ingress-nginx').describe('Namespace of the ingress controller, admitted through the network policy to Grafana\'s port.'),
    annotations: z.record(z.string(), z.string()).default({}).describe('Annotations of the Ingress (e.g. `cert-manager.io/cluster-issuer`).'),
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
  if (g.ldap && !g.ldap.bindPassword && !g.ldap.bindDn.includes('%s')) {
    issue(['ldap', 'bindPassword'], 'set bindPassword (a Secret reference), or put %s in bindDn so users bind as themselves');
  }
}
