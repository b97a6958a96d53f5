import { describe, expect, it } from 'vitest';
import { StackConfigInput } from '../charts/config';
import { renderGrafanaIni, renderLdapToml, toIni } from '../charts/grafana-config';
import { resolveConfig } from '../charts/profiles';
import { kubeSchemaErrors } from './helpers/kube-schema';
import { objectOf, objectsOf, synthStack } from './helpers/synth';
import { configErrorOf } from './helpers/config-error';

const errorOf = configErrorOf;

const secret = { name: 'grafana-oauth', key: 'client-secret' };
const oauth = {
  name: 'Authentik', clientId: 'grafana', clientSecret: secret,
  authUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', apiUrl: 'https://auth.example.com/userinfo',
};
const grafana = (g: Record<string, unknown>): StackConfigInput => ({ grafana: { rootUrl: 'https://grafana.example.com/', ...g } as never });

/** Sections and keys of an ini text as gopkg.in/ini.v1 reads them: a `;` or `#` starts a comment outside triple quotes. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) { section = header[1]; out[section] = {}; continue; }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const raw = kv[2];
    out[section][kv[1]] = raw.startsWith('"""') && raw.endsWith('"""') && raw.length >= 6 ? raw.slice(3, -3) : raw.split(/[;#]/)[0].trim();
  }
  return out;
}

describe('grafana.ini cannot be rewritten by a value (issue 17 item 1)', () => {
  it('refuses a line break that would add an [auth.anonymous] section', () => {
    const message = errorOf(grafana({ oauth: { ...oauth, name: 'SSO\n[auth.anonymous]\nenabled = true\norg_role = Admin' } }));
    expect(message).toMatch(/grafana\.oauth\.name: contains a control character/);
    expect(message).not.toContain('org_role');
  });

  it('refuses expansions Grafana would resolve from the environment, a mounted file or another key', () => {
    for (const name of ['$__file{/etc/grafana/secrets/grafana-oauth/client-secret}', '${GF_SECURITY_ADMIN_PASSWORD}', '%(client_secret)s']) {
      expect(errorOf(grafana({ oauth: { ...oauth, name } }))).toMatch(/grafana\.oauth\.name: contains/);
    }
  });

  it('keeps a JMESPath with ";" or "#" whole by quoting it as defaults.ini prescribes', () => {
    const roleAttributePath = "contains(groups[*], 'ops;admins') && 'Admin' || contains(groups[*], '#viewers') && 'Viewer'";
    const text = renderGrafanaIni(resolveConfig(grafana({ oauth: { ...oauth, roleAttributePath } })).grafana);
    expect(text).toContain(`role_attribute_path = """${roleAttributePath}"""`);
    expect(parseIni(text)['auth.generic_oauth'].role_attribute_path).toBe(roleAttributePath);
    // Values without those characters read as before.
    expect(text).toContain('client_id = grafana\n');
  });

  it('the renderer itself refuses a line break, whatever calls it', () => {
    expect(() => toIni([['server', { root_url: 'https://x/\n[auth.anonymous]' }]])).toThrow(/control character/);
  });
});

describe('sign-up is off unless asked for (item 2)', () => {
  it('OAuth and LDAP create no account for an unknown user by default', () => {
    const c = resolveConfig(grafana({
      oauth,
      ldap: { host: 'ldap.example.com', bindDn: 'cn=grafana,dc=example,dc=org', bindPassword: { name: 'grafana-ldap', key: 'bind-password' }, searchBaseDns: ['dc=example,dc=org'] },
    }));
    const ini = parseIni(renderGrafanaIni(c.grafana));
    expect(ini['auth.generic_oauth'].allow_sign_up).toBe('false');
    expect(ini['auth.ldap'].allow_sign_up).toBe('false');
    expect(ini.users.allow_sign_up).toBe('false');
  });
});

describe('no credential in Grafana\'s URLs (item 3)', () => {
  it('refuses userinfo in rootUrl and a client secret in the OAuth URLs, without repeating them', () => {
    const root = errorOf({ grafana: { rootUrl: 'https://admin:hunter2@grafana.example.com/' } });
    expect(root).toMatch(/grafana\.rootUrl: holds a credential/);
    expect(root).not.toContain('hunter2');
    const auth = errorOf(grafana({ oauth: { ...oauth, authUrl: 'https://auth.example.com/authorize?client_secret=s3cr3t' } }));
    expect(auth).toMatch(/grafana\.oauth\.authUrl: holds a credential/);
    expect(auth).not.toContain('s3cr3t');
  });
});

describe('settings that were accepted and did nothing (item 16)', () => {
  const db = (type: 'mysql' | 'postgres', sslMode?: string) => grafana({
    database: { type, host: 'db.example.svc:3306', user: 'grafana', password: { name: 'grafana-db', key: 'password' }, ...(sslMode ? { sslMode } : {}) },
    secretKey: { name: 'grafana-secret-key', key: 'secret-key' },
  });

  it('renders MySQL sslMode in the MySQL driver\'s spelling', () => {
    const mode = (sslMode?: string) => parseIni(renderGrafanaIni(resolveConfig(db('mysql', sslMode)).grafana)).database.ssl_mode;
    expect(mode()).toBe('skip-verify');
    expect(mode('verify-full')).toBe('true');
    expect(mode('disable')).toBe('false');
    expect(parseIni(renderGrafanaIni(resolveConfig(db('postgres', 'verify-full')).grafana)).database.ssl_mode).toBe('verify-full');
  });

  it('refuses LDAPS on port 389 and plain LDAP on 636', () => {
    const ldap = { host: 'ldap', bindDn: 'uid=%s,dc=example,dc=org', searchBaseDns: ['dc=example,dc=org'] };
    expect(errorOf(grafana({ ldap: { ...ldap, port: 389 } }))).toMatch(/grafana\.ldap\.useSsl: port 389 is plain LDAP.*useSsl: false, startTls: true/);
    expect(errorOf(grafana({ ldap: { ...ldap, port: 636, useSsl: false, startTls: true } }))).toMatch(/grafana\.ldap\.useSsl: port 636 is LDAPS/);
    expect(() => resolveConfig(grafana({ ldap: { ...ldap, port: 389, useSsl: false, startTls: true } }))).not.toThrow();
  });

  it('refuses plain LDAP, which sends every login password unencrypted, unless allowed on purpose', () => {
    const ldap = { host: 'ldap', bindDn: 'uid=%s,dc=example,dc=org', searchBaseDns: ['dc=example,dc=org'], port: 389, useSsl: false };
    expect(errorOf(grafana({ ldap }))).toMatch(/grafana\.ldap\.startTls: plain LDAP would send every login password unencrypted: use startTls: true.*allowPlaintext: true/);
    const allowed = resolveConfig(grafana({ ldap: { ...ldap, allowPlaintext: true } })).grafana;
    expect(renderLdapToml(allowed.ldap!)).toMatch(/use_ssl = false\nstart_tls = false/);
  });

  it('refuses one Secret key for the admin user and password', () => {
    expect(errorOf({ grafana: { adminSecret: { userKey: 'admin', passwordKey: 'admin' } } })).toMatch(/grafana\.adminSecret\.passwordKey: userKey and passwordKey are both "admin"/);
  });
});

describe('Ingress (item 17)', () => {
  const ingress = { host: 'grafana.example.com' };

  it('refuses an IngressClass name or an annotation key the API server refuses', () => {
    expect(errorOf(grafana({ ingress: { ...ingress, className: 'Nginx_Public' } }))).toMatch(/grafana\.ingress\.className: expected a DNS-1123 subdomain/);
    for (const key of ['cert-manager.io/cluster issuer', 'a/b/c', 'Example.com/x', `x/${'a'.repeat(64)}`]) {
      expect(errorOf(grafana({ ingress: { ...ingress, annotations: { [key]: 'v' } } })), key).toMatch(/grafana\.ingress\.annotations.*expected an annotation key/);
    }
  });

  it('refuses a rootUrl on another host than the Ingress', () => {
    expect(errorOf({ grafana: { rootUrl: 'https://grafana.example.org/', ingress } })).toMatch(/grafana\.rootUrl: rootUrl's host "grafana\.example\.org" differs from grafana\.ingress\.host "grafana\.example\.com"/);
  });

  it('admits the ingress controller to cert-manager\'s HTTP-01 solver pod when a cert-manager annotation asks for a certificate', async () => {
    const withIssuer = synthStack(grafana({ ingress: { ...ingress, tlsSecretName: 'grafana-tls', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } } }));
    const policy = objectOf(withIssuer, 'NetworkPolicy', 'grafana-acme-http01-solver');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8089, protocol: 'TCP' }] }],
    });
    expect(await kubeSchemaErrors(policy)).toEqual([]);
    const without = synthStack(grafana({ ingress }));
    expect(objectsOf(without, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('grafana-acme-http01-solver');
  });
});
