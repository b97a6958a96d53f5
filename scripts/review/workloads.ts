import { KubeObject, byKey, code, configMapDocs, objectKey, pairs, same, stable } from './objects';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'];

/** The pod template of a workload. */
export function podSpec(o: KubeObject): any {
  return o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
}

/** The flag of an argument (`--a=b` → `--a`), or the argument itself. */
const flagOf = (a: string): string => /^(-{1,2}[^=]+)=/s.exec(a)?.[1] ?? a;

/**
 * Arguments removed and added (as multisets, so a repeated flag counts each time); a flag removed
 * once and added once shows as `old → new`.
 */
function argChanges(field: string, before: readonly string[] = [], after: readonly string[] = []): string[] {
  const removed = [...before];
  const added: string[] = [];
  for (const a of after) {
    const i = removed.indexOf(a);
    if (i >= 0) removed.splice(i, 1);
    else added.push(a);
  }
  const out: string[] = [];
  for (const a of added) {
    const same = removed.filter((r) => flagOf(r) === flagOf(a));
    if (same.length === 1 && added.filter((x) => flagOf(x) === flagOf(a)).length === 1) {
      out.push(`${field} ${code(`${same[0]} → ${a}`)}`);
      removed.splice(removed.indexOf(same[0]), 1);
    } else out.push(`${field} added ${code(a)}`);
  }
  for (const r of removed) out.push(`${field} removed ${code(r)}`);
  return out;
}

function containerChanges(b: any, a: any): string[] {
  const out: string[] = [];
  if (b.image !== a.image) out.push(`image ${code(`${b.image} → ${a.image}`)}`);
  for (const part of ['requests', 'limits'] as const) {
    for (const r of [...new Set([...Object.keys(b.resources?.[part] ?? {}), ...Object.keys(a.resources?.[part] ?? {})])].sort()) {
      const x = b.resources?.[part]?.[r];
      const y = a.resources?.[part]?.[r];
      if (x !== y) out.push(`${part}.${r} ${code(`${x ?? '(none)'} → ${y ?? '(none)'}`)}`);
    }
  }
  for (const field of ['command', 'args'] as const) out.push(...argChanges(field, b[field], a[field]));
  const envOf = (c: any) => new Map<string, string>((c.env ?? []).map((e: any) => [e.name, e.value !== undefined ? String(e.value) : stable(e.valueFrom)]));
  const x = envOf(b);
  const y = envOf(a);
  for (const [k, v] of y) if (x.get(k) !== v) out.push(x.has(k) ? `env \`${k}\` ${code(`${x.get(k)} → ${v}`)}` : `env added \`${k}\`: ${code(v)}`);
  for (const k of x.keys()) if (!y.has(k)) out.push(`env removed \`${k}\``);
  return out;
}

function hostPaths(spec: any): string[] {
  return (spec?.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => `${v.name}: ${v.hostPath.path}`);
}

function capabilities(spec: any): string[] {
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].flatMap((c: any) => (c.securityContext?.capabilities?.add ?? []).map((cap: string) => `${c.name}: ${cap}`));
}

function hostAccess(spec: any): string[] {
  const out = ['hostNetwork', 'hostPID', 'hostIPC'].filter((k) => spec?.[k]);
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    if (c.securityContext?.privileged) out.push(`${c.name}: privileged`);
    if (c.securityContext?.allowPrivilegeEscalation) out.push(`${c.name}: allowPrivilegeEscalation`);
    if (c.securityContext?.runAsNonRoot === false || c.securityContext?.runAsUser === 0) out.push(`${c.name}: runs as root`);
  }
  return out;
}

/** RBAC rules flattened to `verb group/resource` permissions (`*` kept as written). */
export function permissions(o: KubeObject | undefined): Set<string> {
  const out = new Set<string>();
  for (const r of (o?.rules ?? []) as any[]) {
    for (const g of r.apiGroups ?? ['']) for (const res of r.resources ?? []) for (const v of r.verbs ?? []) {
      out.add(`${v} ${g ? `${g}/` : ''}${res}${r.resourceNames ? `[${r.resourceNames.join(',')}]` : ''}`);
    }
    for (const u of r.nonResourceURLs ?? []) for (const v of r.verbs ?? []) out.add(`${v} ${u}`);
  }
  return out;
}

const FLAG = '⚑';

/**
 * Markdown lines: workloads added and removed; per workload replicas, images, resources, arguments
 * and environment; flagged (⚑): new RBAC permissions, hostPath volumes, added capabilities, host
 * access, and Pod Security label changes on namespaces. Objects of other kinds added to the output
 * are listed at the end.
 */
export function reviewWorkloads(before: readonly KubeObject[], after: readonly KubeObject[]): string[] {
  const out: string[] = [];
  const bk = byKey(before);
  const ak = byKey(after);
  for (const a of after) {
    if (!WORKLOAD_KINDS.includes(a.kind) || bk.has(objectKey(a))) continue;
    const spec = podSpec(a);
    out.push(`- added ${a.kind} \`${objectKey(a).split(' ')[1]}\`: ${(spec?.containers ?? []).map((c: any) => code(c.image)).join(', ')}`);
    for (const h of hostPaths(spec)) out.push(`  - ${FLAG} hostPath volume ${code(h)}`);
    for (const c of capabilities(spec)) out.push(`  - ${FLAG} capability ${code(c)}`);
    for (const h of hostAccess(spec)) out.push(`  - ${FLAG} ${code(h)}`);
  }
  for (const b of before) if (WORKLOAD_KINDS.includes(b.kind) && !ak.has(objectKey(b))) out.push(`- removed ${b.kind} \`${objectKey(b).split(' ')[1]}\``);
  for (const [b, a] of pairs(before, after)) {
    if (!WORKLOAD_KINDS.includes(a.kind)) continue;
    const lines: string[] = [];
    if ((b.spec?.replicas ?? 1) !== (a.spec?.replicas ?? 1) && a.kind !== 'DaemonSet' && a.kind !== 'CronJob') lines.push(`replicas ${code(`${b.spec?.replicas ?? 1} → ${a.spec?.replicas ?? 1}`)}`);
    if (a.kind === 'CronJob' && b.spec?.schedule !== a.spec?.schedule) lines.push(`schedule ${code(`${b.spec?.schedule} → ${a.spec?.schedule}`)}`);
    const bs = podSpec(b);
    const as = podSpec(a);
    for (const kind of ['initContainers', 'containers'] as const) {
      const bc = new Map<string, any>((bs?.[kind] ?? []).map((c: any) => [c.name, c]));
      for (const c of as?.[kind] ?? []) {
        if (!bc.has(c.name)) lines.push(`container \`${c.name}\` added: ${code(c.image)}`);
        else for (const ch of containerChanges(bc.get(c.name), c)) lines.push(`\`${c.name}\`: ${ch}`);
      }
      for (const n of bc.keys()) if (!(as?.[kind] ?? []).some((c: any) => c.name === n)) lines.push(`container \`${n}\` removed`);
    }
    const newly = (f: (s: any) => string[]) => { const had = new Set(f(bs)); return f(as).filter((x) => !had.has(x)); };
    for (const h of newly(hostPaths)) lines.push(`${FLAG} new hostPath volume ${code(h)}`);
    for (const c of newly(capabilities)) lines.push(`${FLAG} new capability ${code(c)}`);
    for (const h of newly(hostAccess)) lines.push(`${FLAG} new host access ${code(h)}`);
    if (!same(bs?.serviceAccountName, as?.serviceAccountName)) lines.push(`serviceAccountName ${code(`${bs?.serviceAccountName} → ${as?.serviceAccountName}`)}`);
    if (lines.length) out.push(`- ${a.kind} \`${objectKey(a).split(' ')[1]}\`:`, ...lines.map((l) => `  - ${l}`));
  }
  for (const a of after) {
    if (!['ClusterRole', 'Role'].includes(a.kind)) continue;
    const had = permissions(bk.get(objectKey(a)));
    const added = [...permissions(a)].filter((p) => !had.has(p));
    if (added.length) out.push(`- ${FLAG} ${objectKey(a)} grants new permissions: ${added.map((p) => code(p)).join(', ')}`);
  }
  for (const a of after) {
    if (a.kind !== 'Namespace') continue;
    const pss = (o?: KubeObject) => Object.fromEntries(Object.entries(o?.metadata.labels ?? {}).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')));
    const x = pss(bk.get(objectKey(a)));
    const y = pss(a);
    for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) {
      if (x[k] !== y[k]) out.push(`- ${FLAG} Namespace \`${a.metadata.name}\`: Pod Security label \`${k}\` ${code(`${x[k] ?? '(unset)'} → ${y[k] ?? '(unset)'}`)}`);
    }
  }
  out.push(...configChanges(before, after));
  const others = after.filter((a) => !WORKLOAD_KINDS.includes(a.kind) && !bk.has(objectKey(a)));
  if (others.length) out.push(`- new objects: ${others.map((o) => code(objectKey(o))).join(', ')}`);
  return out;
}

/** Whether a ConfigMap value is one the other sections review (rule files, dashboards, routing). */
function reviewedElsewhere(key: string, doc: any): boolean {
  return key === 'alertmanager.yml' || Array.isArray(doc?.groups) || (key.endsWith('.json') && Array.isArray(doc?.panels));
}

/**
 * Markdown lines: the other configuration files that changed (`prometheus.yml`, Loki's, Grafana's
 * datasources…), naming the scrape jobs added or removed in a `scrape_configs` file.
 */
export function configChanges(before: readonly KubeObject[], after: readonly KubeObject[]): string[] {
  const index = (objects: readonly KubeObject[]) => new Map(configMapDocs(objects).filter((d) => !reviewedElsewhere(d.key, d.doc)).map((d) => [`${objectKey(d.object)}|${d.key}`, d]));
  const b = index(before);
  const a = index(after);
  const out: string[] = [];
  for (const [k, d] of a) {
    const o = b.get(k);
    if (!o || o.text === d.text) continue;
    const [object, key] = k.split('|');
    const details: string[] = [];
    if (Array.isArray(o.doc?.scrape_configs) || Array.isArray(d.doc?.scrape_configs)) {
      const jobs = (x: any) => new Map<string, any>((x?.scrape_configs ?? []).map((j: any) => [j.job_name, j]));
      const bj = jobs(o.doc);
      const aj = jobs(d.doc);
      const added = [...aj.keys()].filter((j) => !bj.has(j));
      const removed = [...bj.keys()].filter((j) => !aj.has(j));
      const changed = [...aj.keys()].filter((j) => bj.has(j) && !same(bj.get(j), aj.get(j)));
      if (added.length) details.push(`scrape jobs added ${added.map((j) => code(j)).join(', ')}`);
      if (removed.length) details.push(`scrape jobs removed ${removed.map((j) => code(j)).join(', ')}`);
      if (changed.length) details.push(`scrape jobs changed ${changed.map((j) => code(j)).join(', ')}`);
      const rest = (x: any) => ({ ...x, scrape_configs: undefined });
      if (!same(rest(o.doc), rest(d.doc))) details.push('other settings changed');
    } else if (o.doc && d.doc && typeof o.doc === 'object' && typeof d.doc === 'object' && !Array.isArray(d.doc)) {
      const keys = [...new Set([...Object.keys(o.doc), ...Object.keys(d.doc)])].filter((x) => !same(o.doc[x], d.doc[x])).sort();
      if (keys.length) details.push(`changed ${keys.map((x) => code(x)).join(', ')}`);
    }
    out.push(`- configuration \`${object}\` (${key})${details.length ? `: ${details.join('; ')}` : ' changed'}`);
  }
  return out;
}
