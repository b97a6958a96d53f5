import { reviewDashboards } from './dashboards';
import { KubeObject } from './objects';
import { reviewRouting } from './routing';
import { reviewRules } from './rules';
import { Safety, isEmpty, reviewSafety } from './safety';
import { reviewWorkloads } from './workloads';

export interface Review {
  readonly safety: Safety;
  readonly rules: string[];
  readonly routing: string[];
  readonly dashboards: string[];
  readonly workloads: string[];
}

/** The review of two outputs (the objects of every file of each). */
export function review(before: readonly KubeObject[], after: readonly KubeObject[]): Review {
  return {
    safety: reviewSafety(before, after),
    rules: reviewRules(before, after),
    routing: reviewRouting(before, after),
    dashboards: reviewDashboards(before, after),
    workloads: reviewWorkloads(before, after),
  };
}

/** The apply command of the README, which prunes (scripts/review/prune.ts). */
const PRUNE_HINT = 'Plain `kubectl apply -f dist/` leaves them running; the apply command in the README ("Changing a running stack") prunes them.';

/** The review as Markdown for a pull request; `title` names the two sides. */
export function renderReview(r: Review, title: string): string {
  const out: string[] = [`## Vigil review: ${title}`, ''];
  if (!isEmpty(r.safety)) {
    out.push('### ⚠ Apply safety', '');
    if (r.safety.refused.length) {
      out.push('**`kubectl apply` will refuse these changes.** Carry each out with the commands under it, then apply.', '');
      for (const x of r.safety.refused) out.push(`- ${x.line}`, '  ```sh', ...x.commands.map((c) => `  ${c}`), '  ```');
      out.push('');
    }
    if (r.safety.removed.length) {
      out.push(`**Removed from the output.** ${PRUNE_HINT}`, '', ...r.safety.removed.map((x) => `- ${x}`), '');
    }
    if (r.safety.dataAtRisk.length) out.push('**Data at risk.**', '', ...r.safety.dataAtRisk.map((x) => `- ${x}`), '');
  }
  const sections: Array<[string, string[]]> = [
    ['Alerts and recording rules', r.rules], ['Routing', r.routing], ['Dashboards', r.dashboards], ['Workloads', r.workloads],
  ];
  for (const [name, lines] of sections) if (lines.length) out.push(`### ${name}`, '', ...lines, '');
  if (out.length === 2) out.push('No change to the output.', '');
  return out.join('\n');
}
