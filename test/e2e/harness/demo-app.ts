import { createServer, Server } from 'node:http';

/** How the demo app names its metrics: the seeds' apps differ in prefix and label names. */
export interface DemoAppOptions {
  /** Prefix of every metric, e.g. `barbossa_`. @default '' */
  readonly prefix?: string;
  /** Label carrying the HTTP status. @default 'status_code' */
  readonly statusLabel?: string;
  /** Label carrying the route. @default 'route' */
  readonly routeLabel?: string;
  /** Requests per second it pretends to serve. @default 50 */
  readonly requestsPerSecond?: number;
}

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A small stand-in for the apps the seeds describe: `/health/live`, `/health/ready` and `/metrics`
 * with request counters, a latency histogram and a `health_check_status` gauge. The test turns its
 * faults on and off: readiness failing, an error ratio, slow responses.
 */
export class DemoApp {
  ready = true;
  errorRatio = 0;
  slow = false;
  private total = 0;
  private errors = 0;
  private readonly buckets = BUCKETS.map(() => 0);
  private count = 0;
  private sum = 0;
  private server?: Server;
  private timer?: NodeJS.Timeout;
  private readonly o: Required<DemoAppOptions>;

  constructor(options: DemoAppOptions = {}) {
    this.o = { prefix: '', statusLabel: 'status_code', routeLabel: 'route', requestsPerSecond: 50, ...options };
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      // The seeds' apps use /health/live + /health/ready, or /health + /ready.
      if (req.url === '/health/live' || req.url === '/health') return void res.writeHead(200).end('{"status":"ok"}');
      if (req.url === '/health/ready' || req.url === '/ready') return void res.writeHead(this.ready ? 200 : 503).end(this.ready ? '{"status":"ok"}' : '{"status":"unavailable"}');
      if (req.url === '/metrics') return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.exposition());
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
    // Simulated traffic, ten times a second.
    this.timer = setInterval(() => this.tick(this.o.requestsPerSecond / 10), 100);
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private tick(n: number): void {
    for (let i = 0; i < n; i++) {
      this.total++;
      if (Math.random() < this.errorRatio) this.errors++;
      const seconds = this.slow ? 5.5 + Math.random() * 3 : 0.02 + Math.random() * 0.05;
      this.count++;
      this.sum += seconds;
      BUCKETS.forEach((b, j) => { if (seconds <= b) this.buckets[j]++; });
    }
  }

  private exposition(): string {
    const { prefix: p, statusLabel: s, routeLabel: r } = this.o;
    const lines = [
      `# TYPE ${p}http_requests_total counter`,
      `${p}http_requests_total{method="GET",${r}="/api/items",${s}="200"} ${this.total - this.errors}`,
      `${p}http_requests_total{method="GET",${r}="/api/items",${s}="500"} ${this.errors}`,
      `# TYPE ${p}http_request_duration_seconds histogram`,
      ...BUCKETS.map((b, j) => `${p}http_request_duration_seconds_bucket{method="GET",${r}="/api/items",le="${b}"} ${this.buckets[j]}`),
      `${p}http_request_duration_seconds_bucket{method="GET",${r}="/api/items",le="+Inf"} ${this.count}`,
      `${p}http_request_duration_seconds_sum{method="GET",${r}="/api/items"} ${this.sum}`,
      `${p}http_request_duration_seconds_count{method="GET",${r}="/api/items"} ${this.count}`,
      `# TYPE ${p}health_check_status gauge`,
      `${p}health_check_status{check="database"} ${this.ready ? 1 : 0}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}
