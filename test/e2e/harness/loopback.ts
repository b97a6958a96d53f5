import { ScrapeJob, StaticScrapeJob } from '../../../charts/scrape-jobs';

/** Loopback addresses that stand in for in-cluster ones. */
export interface LoopbackAddresses {
  /** job name → host:port of each target, with the labels discovery would have added. */
  readonly targets: Record<string, Array<{ address: string; labels?: Record<string, string> }>>;
  /** blackbox-exporter's host:port. */
  readonly prober: string;
  /** Rewrites an in-cluster URL (a health check) to the loopback one. */
  readonly url: (inCluster: string) => string;
}

/**
 * The only change the end-to-end run makes to what synth produced: in-cluster addresses become
 * loopback ones. Kubernetes discovery becomes static targets with the labels discovery would add;
 * jobs with no local stand-in (kubelet, kube-state-metrics, annotation discovery) are dropped and
 * reported. Intervals, paths, labels and job names stay as generated.
 */
export function toLoopback(jobs: readonly ScrapeJob[], a: LoopbackAddresses): { jobs: ScrapeJob[]; dropped: string[] } {
  const out: ScrapeJob[] = [];
  const dropped: string[] = [];
  for (const job of jobs) {
    if (job.kind === 'probe') {
      out.push({ ...job, url: a.url(job.url), prober: a.prober });
      continue;
    }
    const targets = a.targets[job.job];
    if (job.kind !== 'service' || !targets) {
      dropped.push(job.job);
      continue;
    }
    const local: StaticScrapeJob = {
      kind: 'static', job: job.job, path: job.path, scheme: job.scheme, interval: job.interval, honorLabels: job.honorLabels,
      // The series controls stay as generated: limits and metric relabelling.
      limits: job.limits, metricRelabel: job.metricRelabel,
      groups: targets.map((t) => ({ targets: [t.address], labels: { ...job.labels, ...t.labels } })),
    };
    out.push(local);
  }
  return { jobs: out, dropped };
}
