import { describe, expect, it } from 'vitest';
import { renderConfigDocs } from '../charts/config-docs';

/** The option table shows the defaults inside optional objects (issue 17 item 19). */
describe('option table', () => {
  const rows = new Map(renderConfigDocs().split('\n').flatMap((line) => {
    const m = /^\| `([^`]+)` \| [^|]*(?:\\\|[^|]*)* \| ([^|]*) \|/.exec(line);
    return m ? [[m[1], m[2].trim()] as const] : [];
  }));

  it('renders the defaults of fields in an object that is unset until written', () => {
    expect(rows.get('grafana.ingress.controllerNamespace')).toBe('`"ingress-nginx"`');
    expect(rows.get('grafana.oauth.allowSignUp')).toBe('`false`');
    expect(rows.get('grafana.ldap.allowSignUp')).toBe('`false`');
    expect(rows.get('grafana.ldap.port')).toBe('`636`');
    expect(rows.get('grafana.ldap.useSsl')).toBe('`true`');
    expect(rows.get('grafana.database.sslMode')).toBe('`"require"`');
    expect(rows.get('loki.storage.s3.region')).toBe('`"us-east-1"`');
    expect(rows.get('loki.storage.s3.forcePathStyle')).toBe('`true`');
    expect(rows.get('jaeger.storage.elasticsearch.indexPrefix')).toBe('`"vigil"`');
  });

  it('marks the fields such an object cannot do without as required, and leaves optional ones empty', () => {
    expect(rows.get('grafana.oauth.clientId')).toBe('required');
    expect(rows.get('grafana.ingress.host')).toBe('required');
    expect(rows.get('grafana.oauth.roleAttributePath')).toBe('—');
    expect(rows.get('grafana.ingress.className')).toBe('—');
    // Top-level optional fields are unchanged.
    expect(rows.get('grafana.rootUrl')).toBe('—');
  });
});
