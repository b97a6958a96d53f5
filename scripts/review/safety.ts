import { KubeObject, byKey, code, configMapDocs, objectKey, pairs, same, stable } from './objects';
import { podSpec } from './workloads';

/** One change `kubectl apply` refuses, with the commands that carry it out. */
export interface Refusal {
  readonly line: string;
  readonly commands: readonly string[];
}

export interface Safety {
  readonly refused: Refusal[];
  readonly removed: string[];
  readonly dataAtRisk: string[];
}

const ns = (o: KubeObject) => (o.metadata.namespace ? `-n ${o.metadata.namespace} ` : '');
const fields = (o: KubeObject, b: KubeObject, names: string[]) => names.filter((f) => !same(b.spec?.[f], o.spec?.[f]));

/** A claim template as it matters: name, access modes, class, size. */
function claim(t: any): { name: string; size?: string; rest: string } {
  return { name: t.metadata?.name, size: t.spec?.resources?.requests?.storage, rest: stable({ ...t.spec, resources: undefined }) };
}

function selectorText(sel: any): string {
  return Object.entries(sel?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The changes to StatefulSets, Deployments, DaemonSets and Services that the API server refuses. */
function refusals(before: readonly KubeObject[], after: readonly KubeObject[]): Refusal[] {
  const out: Refusal[] = [];
  for (const [b, a] of pairs(before, after)) {
    const name = `${a.kind} \`${objectKey(a).split(' ')[1]}\``;
    const resource = a.kind.toLowerCase();
    if (a.kind === 'StatefulSet') {
      const changed = fields(a, b, ['volumeClaimTemplates', 'serviceName', 'selector', 'podManagementPolicy']);
      if (!changed.length) continue;
      const details: string[] = [];
      const commands = [`kubectl ${ns(a)}delete statefulset ${a.metadata.name} --cascade=orphan`];
      const replicas = b.spec?.replicas ?? 1;
      if (changed.includes('volumeClaimTemplates')) {
        const bt = new Map<string, ReturnType<typeof claim>>((b.spec.volumeClaimTemplates ?? []).map((t: any) => [t.metadata?.name, claim(t)]));
        for (const t of (a.spec.volumeClaimTemplates ?? []).map(claim)) {
          const o = bt.get(t.name);
          if (!o) { details.push(`claim \`${t.name}\` added`); continue; }
          const claims = Array.from({ length: replicas }, (_x, i) => `${t.name}-${a.metadata.name}-${i}`);
          if (o.size !== t.size) details.push(`claim \`${t.name}\` ${code(`${o.size} → ${t.size}`)}`);
          if (o.rest !== t.rest) {
            details.push(`claim \`${t.name}\` class or access modes changed`);
            commands.push(`# the claims cannot be changed in place: copy the data out, then delete them (this deletes the data)`, `kubectl ${ns(a)}delete pvc ${claims.join(' ')}`);
          } else if (o.size !== t.size) {
            if (sizeBytes(t.size) > sizeBytes(o.size)) {
              commands.push(`# grow each existing claim (its StorageClass must have allowVolumeExpansion: true; otherwise migrate the data to new claims)`,
                ...claims.map((c) => `kubectl ${ns(a)}patch pvc ${c} -p '{"spec":{"resources":{"requests":{"storage":"${t.size}"}}}}'`));
            } else {
              commands.push(`# a claim cannot shrink: copy the data out, delete the claims (this deletes the data), and let the StatefulSet create smaller ones`, `kubectl ${ns(a)}delete pvc ${claims.join(' ')}`);
            }
          }
        }
        for (const n of bt.keys()) if (!(a.spec.volumeClaimTemplates ?? []).some((t: any) => t.metadata?.name === n)) details.push(`claim \`${n}\` removed`);
      }
      for (const f of changed.filter((x) => x !== 'volumeClaimTemplates')) details.push(`\`${f}\` ${code(`${fmt(b.spec?.[f])} → ${fmt(a.spec?.[f])}`)}`);
      commands.push('kubectl apply -f dist/   # re-creates the StatefulSet, which adopts the running pods');
      if (changed.includes('selector')) commands.push(`# once the new pods are ready, delete the ones the old selector still matches`, `kubectl ${ns(a)}delete pods -l ${selectorText(b.spec.selector)}`);
      out.push({ line: `${name}: ${details.join('; ')} (${changed.map((f) => `spec.${f}`).join(', ')} immutable)`, commands });
    } else if (a.kind === 'Deployment' || a.kind === 'DaemonSet') {
      if (same(b.spec?.selector, a.spec?.selector)) continue;
      out.push({
        line: `${name}: \`selector\` ${code(`${selectorText(b.spec?.selector)} → ${selectorText(a.spec?.selector)}`)} (spec.selector immutable)`,
        commands: [
          `kubectl ${ns(a)}delete ${resource} ${a.metadata.name} --cascade=orphan`,
          'kubectl apply -f dist/',
          '# once the new pods are ready, delete what the old selector still matches',
          `kubectl ${ns(a)}delete ${a.kind === 'Deployment' ? 'replicasets,pods' : 'pods'} -l ${selectorText(b.spec?.selector)}`,
        ],
      });
    } else if (a.kind === 'Service') {
      const ip = (o: KubeObject) => o.spec?.clusterIP ?? '(allocated)';
      const external = (o: KubeObject) => o.spec?.type === 'ExternalName';
      const details: string[] = [];
      if (ip(b) !== ip(a)) details.push(`\`clusterIP\` ${code(`${ip(b)} → ${ip(a)}`)}`);
      if (external(b) !== external(a)) details.push(`\`type\` ${code(`${b.spec?.type ?? 'ClusterIP'} → ${a.spec?.type ?? 'ClusterIP'}`)}`);
      if (!details.length) continue;
      out.push({ line: `${name}: ${details.join('; ')} (spec.clusterIP immutable)`, commands: [`kubectl ${ns(a)}delete service ${a.metadata.name}`, 'kubectl apply -f dist/'] });
    }
  }
  return out;
}

function fmt(v: unknown): string {
  return v === undefined ? '(unset)' : typeof v === 'object' ? stable(v) : String(v);
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus/Loki/Go duration (`15d`, `1w2d`, `168h0m0s`); NaN when it does not parse. */
export function durationSeconds(d: string | undefined): number {
  if (!d) return NaN;
  const parts = [...String(d).matchAll(/(\d+(?:\.\d+)?)(ms|y|w|d|h|m|s)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== String(d)) return NaN;
  return parts.reduce((t, p) => t + Number(p[1]) * UNITS[p[2]], 0);
}

/** Bytes in a size (`8GB`, `10Gi`, `512MiB`); NaN when it does not parse. */
export function sizeBytes(s: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTPE]?)(i?)B?$/i.exec(String(s ?? ''));
  if (!m) return NaN;
  const power = ' KMGTPE'.indexOf((m[2] || ' ').toUpperCase());
  return Number(m[1]) * (m[3] ? 1024 : 1000) ** power;
}

function flagValue(o: KubeObject, flag: string): string | undefined {
  for (const c of podSpec(o)?.containers ?? []) for (const a of c.args ?? []) if (String(a).startsWith(`${flag}=`)) return String(a).slice(flag.length + 1);
  return undefined;
}

/** Retention settings on both sides: [what, before, after, parse]. */
function retentions(before: readonly KubeObject[], after: readonly KubeObject[]): string[] {
  const out: string[] = [];
  const shorter = (what: string, x: string | undefined, y: string | undefined, parse: (v: string | undefined) => number, consequence: string) => {
    if (x !== undefined && y !== undefined && parse(y) < parse(x)) out.push(`${what} shortened ${code(`${x} → ${y}`)}: ${consequence}`);
  };
  for (const [b, a] of pairs(before, after)) {
    if (!['StatefulSet', 'Deployment'].includes(a.kind)) continue;
    const where = `${a.kind} \`${objectKey(a).split(' ')[1]}\``;
    shorter(`${where} \`--storage.tsdb.retention.time\``, flagValue(b, '--storage.tsdb.retention.time'), flagValue(a, '--storage.tsdb.retention.time'), durationSeconds, 'older samples are deleted at the next compaction.');
    shorter(`${where} \`--storage.tsdb.retention.size\``, flagValue(b, '--storage.tsdb.retention.size'), flagValue(a, '--storage.tsdb.retention.size'), sizeBytes, 'the oldest blocks beyond the new size are deleted.');
    shorter(`${where} \`--data.retention\``, flagValue(b, '--data.retention'), flagValue(a, '--data.retention'), durationSeconds, 'older silences and notification log entries are dropped.');
  }
  const docs = (objects: readonly KubeObject[]) => new Map(configMapDocs(objects).map((d) => [`${objectKey(d.object)}/${d.key}`, d]));
  const bd = docs(before);
  for (const [k, d] of docs(after)) {
    const o = bd.get(k);
    if (!o?.doc || !d.doc || typeof d.doc !== 'object') continue;
    const where = `ConfigMap \`${objectKey(d.object).split(' ')[1]}\``;
    if (d.doc.schema_config) {
      shorter(`Loki retention (${where} \`limits_config.retention_period\`)`, o.doc.limits_config?.retention_period, d.doc.limits_config?.retention_period, durationSeconds, 'the compactor deletes the older lines.');
      const store = (x: any) => stable({ schema: x.schema_config, common: x.common?.storage, storage: x.storage_config });
      if (store(o.doc) !== store(d.doc)) out.push(`Loki's schema or store changed (${where}: \`schema_config\`/storage): logs written before are unreadable unless the old period stays in \`schema_config\`; add a new period with a future \`from\` date instead of editing the current one.`);
    }
    const badger = (x: any) => Object.values(x?.extensions?.jaeger_storage?.backends ?? {}).map((v: any) => v?.badger?.ttl?.spans).find(Boolean) as string | undefined;
    shorter(`Jaeger trace retention (${where} \`badger.ttl.spans\`)`, badger(o.doc), badger(d.doc), durationSeconds, 'older traces are deleted.');
  }
  return out;
}

/** What the review puts first: refused changes, objects removed from the output, and data at risk. */
export function reviewSafety(before: readonly KubeObject[], after: readonly KubeObject[]): Safety {
  const ak = byKey(after);
  const gone = before.filter((o) => !ak.has(objectKey(o)));
  const dataAtRisk: string[] = [];
  for (const o of gone) {
    if (o.kind === 'StatefulSet' && o.spec?.volumeClaimTemplates?.length) {
      const claims = o.spec.volumeClaimTemplates.flatMap((t: any) => Array.from({ length: o.spec.replicas ?? 1 }, (_x, i) => `${t.metadata.name}-${o.metadata.name}-${i}`));
      const sizes = o.spec.volumeClaimTemplates.map((t: any) => t.spec?.resources?.requests?.storage).join(', ');
      const component = o.metadata.labels?.['app.kubernetes.io/name'] ?? o.metadata.name;
      const replaced = ak.get(`StatefulSet ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
      if (!replaced) {
        dataAtRisk.push(`${component}'s data: StatefulSet \`${objectKey(o).split(' ')[1]}\` is removed; its claims ${claims.map((c: string) => `\`${c}\``).join(', ')} (${sizes}) are kept, and the data on them is deleted only with \`kubectl ${ns(o)}delete pvc ${claims.join(' ')}\`.`);
      }
    }
    if (o.kind === 'PersistentVolumeClaim') dataAtRisk.push(`PersistentVolumeClaim \`${objectKey(o).split(' ')[1]}\` is removed from the output; pruning keeps it, \`kubectl ${ns(o)}delete pvc ${o.metadata.name}\` deletes its data.`);
  }
  dataAtRisk.push(...retentions(before, after));
  const removed = gone.map((o) => {
    const other = after.find((a) => a.metadata.name === o.metadata.name && a.metadata.namespace === o.metadata.namespace && a.kind !== o.kind && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(a.kind) && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind));
    const note = o.kind === 'Namespace' ? ` — never pruned: \`kubectl delete namespace ${o.metadata.name}\` deletes it and everything in it`
      : o.kind === 'PersistentVolumeClaim' ? ' — never pruned' : other ? ` — replaced by ${other.kind} \`${objectKey(other).split(' ')[1]}\`; both run until it is pruned` : '';
    return `${code(objectKey(o))}${note}`;
  });
  return { refused: refusals(before, after), removed, dataAtRisk };
}

export function isEmpty(s: Safety): boolean {
  return s.refused.length + s.removed.length + s.dataAtRisk.length === 0;
}
