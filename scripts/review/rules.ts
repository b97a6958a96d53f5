import { KubeObject, code, configMapDocs, diffBlock, same } from './objects';

/** One alerting or recording rule found in a rule file of a ConfigMap. */
export interface RuleEntry {
  readonly type: 'alert' | 'record';
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** `ConfigMap/key` and group, for the reader. */
  readonly where: string;
}

/** Every rule of every standard `groups:` document in the ConfigMaps (Prometheus and Loki rule files). */
export function collectRules(objects: readonly KubeObject[]): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const { object, key, doc } of configMapDocs(objects)) {
    if (!doc || !Array.isArray(doc.groups)) continue;
    for (const g of doc.groups) {
      for (const r of (g?.rules ?? []) as any[]) {
        const type = r.alert !== undefined ? 'alert' : 'record';
        out.push({
          type, name: String(r.alert ?? r.record), expr: String(r.expr ?? '').trim(), for: r.for,
          labels: r.labels ?? {}, annotations: r.annotations ?? {}, where: `${object.metadata.name}/${key}, group ${g.name}`,
        });
      }
    }
  }
  return out;
}

const COMPARISON = /(>=|<=|==|!=|>|<)(\s*(?:bool\s+)?)(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)(?![\w.])/gi;

/**
 * The thresholds that differ between two expressions that are otherwise the same (`> 0.9 → > 0.95`),
 * or undefined when the expressions differ in more than their compared numbers.
 */
export function thresholdChanges(before: string, after: string): string[] | undefined {
  const skeleton = (e: string) => e.replace(COMPARISON, '$1$2#');
  if (skeleton(before) !== skeleton(after)) return undefined;
  const a = [...before.matchAll(COMPARISON)];
  const b = [...after.matchAll(COMPARISON)];
  return a.flatMap((m, i) => (m[3] === b[i][3] ? [] : [`${m[1]} ${m[3]} → ${b[i][1]} ${b[i][3]}`]));
}

/** Pairs the rules of one name: by position when there is one of each, else by severity, then in order. */
function pairRules(before: RuleEntry[], after: RuleEntry[]): { pairs: Array<[RuleEntry, RuleEntry]>; removed: RuleEntry[]; added: RuleEntry[] } {
  const b = [...before];
  const a = [...after];
  const pairs: Array<[RuleEntry, RuleEntry]> = [];
  if (b.length === 1 && a.length === 1) return { pairs: [[b[0], a[0]]], removed: [], added: [] };
  for (const x of [...b]) {
    const i = a.findIndex((y) => y.labels.severity === x.labels.severity);
    if (i >= 0) { pairs.push([x, a[i]]); a.splice(i, 1); b.splice(b.indexOf(x), 1); }
  }
  while (b.length && a.length) pairs.push([b.shift()!, a.shift()!]);
  return { pairs, removed: b, added: a };
}

function mapChanges(what: string, before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (k === 'severity' && what === 'label') continue;
    if (before[k] === after[k]) continue;
    if (before[k] === undefined) out.push(`  - ${what} \`${k}\` added: ${code(after[k])}`);
    else if (after[k] === undefined) out.push(`  - ${what} \`${k}\` removed (was ${code(before[k])})`);
    else out.push(`  - ${what} \`${k}\`: ${code(`${before[k]} → ${after[k]}`)}`);
  }
  return out;
}

/** Markdown lines: rules added, removed and changed, one item per rule. */
export function reviewRules(beforeObjects: readonly KubeObject[], afterObjects: readonly KubeObject[]): string[] {
  const before = collectRules(beforeObjects);
  const after = collectRules(afterObjects);
  const id = (r: RuleEntry) => `${r.type} ${r.name}`;
  const names = [...new Set([...before, ...after].map(id))].sort((x, y) => x.split(' ')[1].localeCompare(y.split(' ')[1]) || x.localeCompare(y));
  const out: string[] = [];
  for (const n of names) {
    const { pairs, removed, added } = pairRules(before.filter((r) => id(r) === n), after.filter((r) => id(r) === n));
    for (const r of added) {
      const sev = r.labels.severity ? `, ${r.labels.severity}` : '';
      out.push(`- added ${r.type === 'alert' ? 'alert' : 'recording rule'} \`${r.name}\` (${r.where}${sev}${r.for ? `, for ${r.for}` : ''}): ${code(r.expr.replace(/\s*\n\s*/g, ' '))}`);
    }
    for (const r of removed) out.push(`- removed ${r.type === 'alert' ? 'alert' : 'recording rule'} \`${r.name}\` (${r.where})`);
    for (const [b, a] of pairs) {
      if (same(b, { ...a, where: b.where })) continue;
      const what = b.type === 'alert' ? 'alert' : 'recording rule';
      const head: string[] = [];
      const body: string[] = [];
      if (b.expr !== a.expr) {
        const t = thresholdChanges(b.expr, a.expr);
        if (t) head.push(`threshold ${t.map((x) => `\`${x}\``).join(', ')}`);
        else { head.push('expression'); body.push(...diffBlock(b.expr, a.expr)); }
      }
      if (b.for !== a.for) head.push(`for ${code(`${b.for ?? '0s'} → ${a.for ?? '0s'}`)}`);
      if (b.labels.severity !== a.labels.severity) head.push(`severity ${code(`${b.labels.severity ?? '(none)'} → ${a.labels.severity ?? '(none)'}`)}`);
      body.push(...mapChanges('label', b.labels, a.labels), ...mapChanges('annotation', b.annotations, a.annotations));
      if (b.where !== a.where) body.push(`  - moved: ${b.where} → ${a.where}`);
      out.push(`- changed ${what} \`${a.name}\`${head.length ? `: ${head.join('; ')}` : ''}`, ...body);
    }
  }
  return out;
}
