import { describe, expect, it } from 'vitest';
import { StackConfigSchema } from '../charts/config';
import { ConfigError, resolveConfig } from '../charts/profiles';

/**
 * A configuration error goes to a terminal and into CI logs, so it must never repeat a secret. Whether
 * a value is repeated is decided by the field's type: a recognisable secret is fed into every field
 * where a Secret reference belongs and into every field under a receiver, a remote-write endpoint or
 * an auth block (an object holding a Secret reference), and must appear nowhere in the error.
 */
const SECRETS = ['Vigil Test Secret 7Qx9!', 'https://hooks.example.invalid/services/Vigil7Qx9', 'vigil-plain-7qx9'];

type Node = { _zod: { def: { type: string } & Record<string, any> } };
type Step = string | number;

function concrete(s: Node): Node[] {
  const def = s._zod.def;
  switch (def.type) {
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional': return concrete(def.innerType);
    case 'pipe': return [def.in, def.out].filter((x: Node) => x._zod.def.type !== 'transform').flatMap(concrete);
    case 'lazy': return concrete(def.getter());
    case 'union': return def.options.flatMap(concrete);
    default: return [s];
  }
}
const objects = (s: Node) => concrete(s).filter((c) => c._zod.def.type === 'object');
const isSecretRef = (s: Node) => objects(s).some((c) => Object.keys(c._zod.def.shape).sort().join(',') === 'key,name');
const holdsSecretRef = (s: Node) => objects(s).some((c) => Object.values(c._zod.def.shape as Record<string, Node>).some(isSecretRef));

/** Every field to feed: [path, why]. */
function sensitiveFields(): Array<[Step[], string]> {
  const out: Array<[Step[], string]> = [];
  const seen = new Set<Node>();
  const walk = (s: Node, path: Step[], why: string | undefined): void => {
    if (seen.has(s) || path.length > 12) return;
    if (isSecretRef(s)) {
      out.push([path, 'a Secret reference belongs here']);
      return;
    }
    const section = path[path.length - 1];
    const here = why ?? (section === 'receivers' ? 'under a receiver' : section === 'remoteWrite' ? 'under remoteWrite' : holdsSecretRef(s) ? `in the auth block ${path.join('.')}` : undefined);
    const children: Array<[Node, Step]> = concrete(s).flatMap((c): Array<[Node, Step]> => {
      const def = c._zod.def;
      if (def.type === 'object') return Object.entries(def.shape as Record<string, Node>).map(([k, v]) => [v, k]);
      if (def.type === 'array') return [[def.element, 0]];
      if (def.type === 'record') return [[def.valueType, 'X-Vigil-Field']];
      return [];
    });
    if (children.length === 0) {
      // A receiver's or endpoint's `name` is an identifier: written into the generated configuration
      // and named in messages to say where the problem is, so it is not fed a secret.
      if (here && section !== 'name') out.push([path, here]);
      return;
    }
    seen.add(s);
    for (const [child, step] of children) walk(child, [...path, step], here);
    seen.delete(s);
  };
  walk(StackConfigSchema as unknown as Node, [], undefined);
  return out;
}

function withValue(path: Step[], value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let cur: any = root;
  path.forEach((step, i) => {
    if (i === path.length - 1) cur[step] = value;
    else cur = cur[step] ??= typeof path[i + 1] === 'number' ? [] : {};
  });
  return root;
}

function messageOf(input: Record<string, unknown>): string {
  try {
    resolveConfig(input);
    return '';
  } catch (err) {
    return err instanceof ConfigError ? err.message : `not a ConfigError: ${String(err)}`;
  }
}

describe('a configuration error never prints a secret', () => {
  const fields = sensitiveFields();

  it('finds the places: Secret references, receivers, remote write and auth blocks', () => {
    const paths = fields.map(([p]) => p.join('.'));
    expect(paths).toEqual(expect.arrayContaining([
      'alertmanager.routing.receivers.0.slack.0.apiUrl',
      'alertmanager.routing.receivers.0.discord.0.webhookUrl',
      'alertmanager.routing.receivers.0.webhook.0.url',
      'prometheus.remoteWrite.0.url',
      'prometheus.remoteWrite.0.headers.X-Vigil-Field',
      'prometheus.remoteWrite.0.basicAuth.password',
      'prometheus.remoteWrite.0.bearerToken',
      'grafana.database.password',
      'redis.0.address',
    ]));
    expect(fields.length).toBeGreaterThan(60);
  });

  for (const secret of SECRETS) {
    it(`"${secret}" fed into each of them appears in no message`, () => {
      const leaks: string[] = [];
      for (const [path, why] of fields) {
        const message = messageOf(withValue(path, secret));
        if (message.includes(secret)) leaks.push(`${path.join('.')} (${why}): ${message}`);
        if (why === 'a Secret reference belongs here') expect(message, `${path.join('.')} accepts an inline value`).not.toBe('');
      }
      expect(leaks).toEqual([]);
    });
  }

  it('the reported case: an inline Slack webhook URL in a receiver is refused without repeating it', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/Vigil7Qx9secret';
    const message = messageOf({ alertmanager: { routing: { receivers: [{ name: 'team', slack: [{ apiUrl: url }] }] } } });
    expect(message).toMatch(/receivers\[0\]\.slack\[0\]\.apiUrl: .*inline Slack incoming-webhook URL/);
    expect(message).not.toContain('Vigil7Qx9secret');
  });

  it('an error on a whole block repeats nothing of it', () => {
    const message = messageOf({ prometheus: { remoteWrite: [{ name: 'mimir', url: 'http://mimir/push', headers: { 'X-Tenant-Key': 'Vigil7Qx9' }, bearerToken: { name: 's', key: 'k' }, basicAuth: { username: 'Vigil7Qx9user', password: { name: 's', key: 'k' } } }] } });
    expect(message).toContain('prometheus.remoteWrite[0]: set basicAuth or bearerToken, not both');
    expect(message).not.toContain('Vigil7Qx9');
  });

  it('a remote-write URL with a credential in it is refused, so it never reaches dist/', () => {
    for (const url of ['https://user:Vigil7Qx9@mimir.example.com/push', 'https://mimir.example.com/push?token=Vigil7Qx9']) {
      const message = messageOf({ prometheus: { remoteWrite: [{ name: 'mimir', url }] } });
      expect(message).toMatch(/prometheus\.remoteWrite\[0\]\.url: holds a credential/);
      expect(message).not.toContain('Vigil7Qx9');
    }
  });

  // The cases of the configuration issue: each was printed back before the type-based rule, or is a
  // value the rule must keep covering.
  const REPORTED: Array<[string, (secret: string) => unknown]> = [
    ['a password in a refused redis address', (x) => ({ redis: [{ name: 'cache', address: `redis://:${x}@redis.apps.svc:6379` }] })],
    ['a password with a user in a refused redis address', (x) => ({ redis: [{ name: 'cache', address: `redis://default:${x}@[fd00::5]:6379/2` }] })],
    ['an inline heartbeat URL', (x) => ({ alertmanager: { routing: { heartbeat: { url: `https://hc-ping.com/${x}` } } } })],
    ['an inline heartbeat URL on another host', (x) => ({ alertmanager: { routing: { heartbeat: { url: `https://ping.example.com/${x}` } } } })],
    ['a webhook URL in template text', (x) => ({ alertmanager: { routing: { templates: { 'vigil.tmpl': `{{ define "x" }}https://hooks.slack.com/services/T0/B0/${x}{{ end }}` } } } })],
    ['a token in a Slack title template', (x) => ({ alertmanager: { routing: { receivers: [{ name: 'default', slack: [{ apiUrl: { name: 's', key: 'u' }, channel: '#a', title: `xoxb-${x}` }] }] } } })],
    ['a broken template holding a token', (x) => ({ alertmanager: { routing: { templates: { 'vigil.tmpl': `{{ define "x" }}xoxb-${x}` } } } })],
    ['an Authorization header on remote write', (x) => ({ prometheus: { remoteWrite: [{ name: 'm', url: 'http://m/push', headers: { Authorization: `Bearer ${x}` } }] } })],
    ['an X-Auth-Token header on remote write', (x) => ({ prometheus: { remoteWrite: [{ name: 'm', url: 'http://m/push', headers: { 'X-Auth-Token': x } }] } })],
    ['a password in a health check URL', (x) => ({ healthChecks: [{ name: 'api', url: `https://u:${x}@api.apps.svc/health` }] })],
    ['a key in a health check query', (x) => ({ healthChecks: [{ name: 'api', url: `https://api.apps.svc/health?api_key=${x}` }] })],
    ['a user in a remote-write URL', (x) => ({ prometheus: { remoteWrite: [{ name: 'm', url: `https://${x}@mimir/push` }] } })],
  ];
  for (const [name, config] of REPORTED) {
    it(`${name} is refused without repeating it`, () => {
      const message = messageOf(config('Vigil7Qx9secret') as Record<string, unknown>);
      expect(message).not.toBe('');
      expect(message).not.toMatch(/not a ConfigError/);
      expect(message).not.toContain('Vigil7Qx9secret');
    });
  }

  it('still repeats an ordinary wrong value, where it helps', () => {
    expect(messageOf({ prometheus: { retentionTime: '15 days' } })).toContain('(got "15 days")');
    expect(messageOf({ alertmanager: { replicas: 0 } })).toContain('(got 0)');
  });
});
