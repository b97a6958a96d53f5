import { createServer, IncomingMessage, Server } from 'node:http';

/** One request a sink received. */
export interface Received {
  readonly path: string;
  readonly body: any;
  readonly at: number;
}

/**
 * A local HTTP endpoint standing in for Slack, PagerDuty, Discord or a webhook: it records every
 * request so the test can assert who was notified of what, and when.
 */
export class Sink {
  readonly received: Received[] = [];
  private server?: Server;

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      collect(req).then((raw) => {
        let body: any = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // keep text bodies as they are
        }
        this.received.push({ path: req.url ?? '/', body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** Requests to a path (a receiver) whose JSON mentions `text`. */
  matching(path: string, text: string | RegExp, since = 0): Received[] {
    return this.received.filter((r) => r.path === path && r.at >= since && (typeof text === 'string' ? JSON.stringify(r.body).includes(text) : text.test(JSON.stringify(r.body))));
  }
}

function collect(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
