/** "Did you mean" support for error messages: names closest to a misspelt one. */

/** Levenshtein edit distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/** Words of a name: CamelCase humps and `_ - : / .` separated parts, lower-cased. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_\-:/.$]+/).filter(Boolean).map((w) => w.toLowerCase());
}

/**
 * Up to `max` candidates closest to `name`, best first: most words in common (so `HighNodeCpu` finds
 * `NodeHighCpuUsage`), then edit distance (so `humanizePercentge` finds `humanizePercentage`), then
 * alphabetically for a stable message.
 */
export function closest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const mine = words(name);
  return [...new Set(candidates)]
    .map((c) => {
      const theirs = words(c);
      const shared = mine.filter((w) => theirs.includes(w)).length / Math.max(mine.length, theirs.length, 1);
      return { c, shared, d: editDistance(name, c) };
    })
    .sort((x, y) => y.shared - x.shared || x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}
