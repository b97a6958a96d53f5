import { KubeObject, code, configMapDocs, same, stable } from './objects';

/** The parsed `alertmanager.yml` of an output (the first ConfigMap key of that name), if any. */
export function alertmanagerConfig(objects: readonly KubeObject[]): any | undefined {
  return configMapDocs(objects).find((d) => d.key === 'alertmanager.yml')?.doc;
}

interface Route { key: string; route: any }

function matchersOf(r: any): string {
  const m = [...(r.matchers ?? []), ...Object.entries(r.match ?? {}).map(([k, v]) => `${k}="${v}"`), ...Object.entries(r.match_re ?? {}).map(([k, v]) => `${k}=~"${v}"`)];
  return m.length ? m.join(', ') : '(all)';
}

/** Every route of the tree, named by the matchers on its path (`(root) > alertname="Watchdog"`). */
function flattenRoutes(root: any): Route[] {
  const out: Route[] = [];
  const seen = new Map<string, number>();
  const walk = (r: any, path: string) => {
    let key = path;
    const n = seen.get(key) ?? 0;
    seen.set(path, n + 1);
    if (n > 0) key = `${path} #${n + 1}`;
    out.push({ key, route: r });
    for (const c of r.routes ?? []) walk(c, `${path} > ${matchersOf(c)}`);
  };
  if (root) walk(root, '(root)');
  return out;
}

/** The fields of two objects whose values differ, as `field a → b` (one level deep). */
function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>, skip: readonly string[] = []): string[] {
  return [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort()
    .filter((k) => !skip.includes(k) && !same(before?.[k], after?.[k]))
    .map((k) => `\`${k}\` ${code(`${fmt(before?.[k])} → ${fmt(after?.[k])}`)}`);
}

function fmt(v: unknown): string {
  if (v === undefined) return '(unset)';
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return `[${v.join(', ')}]`;
  return typeof v === 'object' ? stable(v) : String(v);
}

/** Named entries (receivers, inhibit rules, time intervals): added, removed, changed. */
function named(what: string, before: any[] = [], after: any[] = [], nameOf: (x: any, i: number) => string): string[] {
  const b = new Map(before.map((x, i) => [nameOf(x, i), x]));
  const a = new Map(after.map((x, i) => [nameOf(x, i), x]));
  const out: string[] = [];
  for (const [n, x] of a) {
    if (!b.has(n)) out.push(`- added ${what} \`${n}\``);
    else if (!same(b.get(n), x)) {
      const changes = typeof x === 'object' && !Array.isArray(x) ? fieldChanges(b.get(n), x, ['name']) : [];
      out.push(`- changed ${what} \`${n}\`${changes.length ? `: ${changes.join('; ')}` : ''}`);
    }
  }
  for (const n of b.keys()) if (!a.has(n)) out.push(`- removed ${what} \`${n}\``);
  return out;
}

/** Markdown lines: receivers, routes, inhibit rules and time intervals added, removed or changed. */
export function reviewRouting(beforeObjects: readonly KubeObject[], afterObjects: readonly KubeObject[]): string[] {
  const b = alertmanagerConfig(beforeObjects) ?? {};
  const a = alertmanagerConfig(afterObjects) ?? {};
  const out: string[] = [];
  const g = fieldChanges(b.global ?? {}, a.global ?? {});
  if (g.length) out.push(`- changed global settings: ${g.join('; ')}`);
  out.push(...named('receiver', b.receivers, a.receivers, (x) => x.name));
  const br = new Map(flattenRoutes(b.route).map((r) => [r.key, r.route]));
  const ar = new Map(flattenRoutes(a.route).map((r) => [r.key, r.route]));
  for (const [k, r] of ar) {
    if (!br.has(k)) out.push(`- added route \`${k}\` → receiver \`${r.receiver ?? '(parent)'}\``);
    else {
      const changes = fieldChanges(br.get(k), r, ['routes']);
      if (changes.length) out.push(`- changed route \`${k}\`: ${changes.join('; ')}`);
    }
  }
  for (const [k, r] of br) if (!ar.has(k)) out.push(`- removed route \`${k}\` (was → receiver \`${r.receiver ?? '(parent)'}\`)`);
  out.push(...named('inhibit rule', b.inhibit_rules, a.inhibit_rules, (x, i) => x.name ?? `#${i + 1}`));
  out.push(...named('time interval', [...(b.time_intervals ?? []), ...(b.mute_time_intervals ?? [])], [...(a.time_intervals ?? []), ...(a.mute_time_intervals ?? [])], (x) => x.name));
  return out;
}
