import { createServer, Server } from 'node:http';

/**
 * A stand-in for an application that puts an unbounded value (a user id) into a label: `/metrics`
 * serves `series` distinct series of one counter, far more than a target may expose.
 */
export class CardinalityBomb {
  private server?: Server;
  private readonly body: string;

  constructor(readonly series: number) {
    const lines = ['# TYPE app_requests_by_user_total counter'];
    for (let i = 0; i < series; i++) lines.push(`app_requests_by_user_total{user_id="user-${i}"} ${i % 17}`);
    this.body = `${lines.join('\n')}\n`;
  }

  async listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url === '/metrics') return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.body);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server!.listen(port, '127.0.0.1', () => r()));
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
