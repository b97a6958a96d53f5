import { KubeObject, configMapDocs, same } from './objects';

interface Dashboard { title: string; panels: Map<string, any> }

/** Panels, rows' nested panels included, by title (or id when untitled). */
function panelsOf(d: any): Map<string, any> {
  const out = new Map<string, any>();
  const add = (p: any) => {
    let k = p.title ? String(p.title) : `panel #${p.id}`;
    for (let n = 2; out.has(k); n++) k = `${p.title} (${n})`;
    out.set(k, p);
    for (const c of p.panels ?? []) add(c);
  };
  for (const p of d.panels ?? []) add(p);
  return out;
}

/** Every Grafana dashboard JSON in the ConfigMaps, by uid (or title). */
export function collectDashboards(objects: readonly KubeObject[]): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  for (const { key, doc } of configMapDocs(objects)) {
    if (!key.endsWith('.json') || !doc || !Array.isArray(doc.panels)) continue;
    out.set(String(doc.uid ?? doc.title), { title: String(doc.title ?? doc.uid), panels: panelsOf(doc) });
  }
  return out;
}

/** Markdown lines: dashboards added and removed, and per dashboard the panels added, removed or changed. */
export function reviewDashboards(beforeObjects: readonly KubeObject[], afterObjects: readonly KubeObject[]): string[] {
  const b = collectDashboards(beforeObjects);
  const a = collectDashboards(afterObjects);
  const out: string[] = [];
  for (const [uid, d] of a) {
    const old = b.get(uid);
    if (!old) { out.push(`- added dashboard \`${d.title}\` (${d.panels.size} panels)`); continue; }
    const lines: string[] = [];
    for (const [t, p] of d.panels) {
      if (!old.panels.has(t)) lines.push(`  - added panel \`${t}\``);
      else if (!same(old.panels.get(t), p)) {
        const q = old.panels.get(t);
        const fields = [...new Set([...Object.keys(q), ...Object.keys(p)])].filter((k) => k !== 'panels' && !same(q[k], p[k])).sort();
        if (fields.length) lines.push(`  - changed panel \`${t}\` (${fields.join(', ')})`);
      }
    }
    for (const t of old.panels.keys()) if (!d.panels.has(t)) lines.push(`  - removed panel \`${t}\``);
    if (old.title !== d.title) lines.unshift(`  - title \`${old.title} → ${d.title}\``);
    if (lines.length) out.push(`- changed dashboard \`${d.title}\`:`, ...lines);
  }
  for (const [uid, d] of b) if (!a.has(uid)) out.push(`- removed dashboard \`${d.title}\``);
  return out;
}
