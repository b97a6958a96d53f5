/**
 * How much a ConfigMap may hold so that `kubectl apply` (client-side, as the README applies `dist/`)
 * can store it. Client-side apply keeps the whole object as JSON in its
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, and the API server refuses
 * annotations above 256 KiB in total (TotalAnnotationSizeLimitB in k8s.io/apimachinery
 * pkg/api/validation/objectmeta.go, v0.37.2); etcd refuses any object above about 1.5 MiB. The data
 * budget leaves room for the object's metadata and the other annotations.
 */
export const CONFIGMAP_DATA_BUDGET_BYTES = 192 * 1024;

/** Bytes a ConfigMap's data takes in the JSON of the last-applied annotation (quotes and escapes included). */
export function encodedDataBytes(data: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(data), 'utf8');
}

/**
 * A `groups:` document (a Prometheus or Loki rule file, as lib/render renders it: optional `#`
 * comment lines, `groups:`, then one `  - name:` item per group) cut into documents that each fit
 * `budget` bytes as ConfigMap data under `keyOf(part)`. Groups stay whole, in order; each part
 * repeats the comment lines. A file that fits is returned as it is, alone. Throws, naming the group,
 * when one group alone does not fit.
 */
export function splitGroupsDocument(content: string, keyOf: (part: number) => string, budget = CONFIGMAP_DATA_BUDGET_BYTES, what = 'rule file'): string[] {
  if (encodedDataBytes({ [keyOf(1)]: content }) <= budget) return [content];
  const lines = content.split('\n');
  const start = lines.findIndex((l) => l === 'groups:');
  if (start < 0) throw new Error(`${what} is larger than a ConfigMap can hold for kubectl apply (${budget} bytes) and is not a groups: document`);
  const header = lines.slice(0, start + 1);
  const groups: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('  - ') || groups.length === 0) groups.push([line]);
    else groups[groups.length - 1].push(line);
  }
  // The last "group" may end with the document's trailing empty line.
  const parts: string[][][] = [];
  for (const g of groups) {
    const current = parts[parts.length - 1];
    const text = (gs: string[][]) => `${[...header, ...gs.flat()].join('\n').replace(/\n*$/, '')}\n`;
    if (current && encodedDataBytes({ [keyOf(parts.length)]: text([...current, g]) }) <= budget) {
      current.push(g);
      continue;
    }
    if (encodedDataBytes({ [keyOf(parts.length + 1)]: text([g]) }) > budget) {
      const name = /name: (.*)/.exec(g[0])?.[1] ?? '(unnamed)';
      throw new Error(`${what}: group ${name} alone takes more than ${Math.round(budget / 1024)} KiB, more than one ConfigMap can hold for kubectl apply (its last-applied annotation is limited to 256 KiB); split it into several groups`);
    }
    parts.push([g]);
  }
  return parts.map((gs) => `${[...header, ...gs.flat()].join('\n').replace(/\n*$/, '')}\n`);
}

/** The file name of part `n` of a split file: the file itself, then `<base>-<n>.<ext>`. */
export function partFileName(fileName: string, n: number): string {
  if (n === 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? `${fileName.slice(0, dot)}-${n}${fileName.slice(dot)}` : `${fileName}-${n}`;
}

/** The ConfigMap name of part `n`: the name itself, then `<name>-<n>`. */
export function partName(name: string, n: number): string {
  return n === 1 ? name : `${name}-${n}`;
}
