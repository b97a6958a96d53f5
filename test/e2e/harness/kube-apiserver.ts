import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessGroup, freePort, waitFor } from './processes';

/**
 * A Kubernetes API server on loopback, with nothing else: etcd and kube-apiserver (the pinned builds
 * from tools/kubernetes), no kubelet, controller manager or container runtime. Objects are stored,
 * validated, defaulted and admitted (Pod Security included) exactly as in a cluster; nothing runs them.
 *
 * One etcd serves several API servers, each under its own `--etcd-prefix`, so every app gets an
 * empty cluster without waiting for a namespace controller to delete the previous app's objects.
 */
export class LocalEtcd {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-etcd-'));
  private readonly procs = new ProcessGroup();
  url = '';

  constructor(private readonly etcd: string) {}

  async start(): Promise<void> {
    const [client, peer] = [await freePort(), await freePort()];
    this.url = `http://127.0.0.1:${client}`;
    // Flags: etcd's server/etcdmain/help.go and server/embed/config.go at v3.7.0.
    this.procs.start('etcd', this.etcd, [
      `--data-dir=${join(this.dir, 'data')}`, `--listen-client-urls=${this.url}`, `--advertise-client-urls=${this.url}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=default=http://127.0.0.1:${peer}`, '--log-level=warn', '--unsafe-no-fsync',
    ]);
    await waitFor('etcd health', async () => {
      if (!this.procs.running('etcd')) throw new Error(this.procs.output('etcd'));
      const r = await fetch(`${this.url}/health`).catch(() => undefined);
      return r?.ok;
    }, 30_000);
  }

  async stop(): Promise<void> {
    await this.procs.stopAll();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface ApplyResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Lines of stderr that start with "Warning:" (Pod Security, deprecated APIs, unknown fields…). */
  readonly warnings: string[];
}

export class LocalApiServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'vigil-apiserver-'));
  private readonly procs = new ProcessGroup();
  kubeconfig = '';

  constructor(private readonly bins: { kubeApiserver: string; kubectl: string }, private readonly etcdUrl: string, private readonly prefix: string) {}

  async start(): Promise<void> {
    const port = await freePort();
    const keys = join(this.dir, 'keys');
    mkdirSync(keys);
    // The service-account signing key: the API server refuses to start without one.
    execFileSync('openssl', ['genrsa', '-out', join(keys, 'sa.key'), '2048'], { stdio: 'ignore' });
    execFileSync('openssl', ['rsa', '-in', join(keys, 'sa.key'), '-pubout', '-out', join(keys, 'sa.pub')], { stdio: 'ignore' });
    // One static token for kubectl, in system:masters (full access under RBAC).
    const token = 'vigil-test-token';
    writeFileSync(join(keys, 'tokens.csv'), `${token},vigil-test,vigil-test,"system:masters"\n`);
    // Flags: cmd/kube-apiserver/app/options and staging/src/k8s.io/apiserver/pkg/server/options at
    // v1.37.2. Serving certificates are self-signed into --cert-dir. Admission is the default set,
    // which includes PodSecurity: it reads the namespace labels and warns about (or, for pods,
    // refuses) what violates them.
    this.procs.start('kube-apiserver', this.bins.kubeApiserver, [
      `--etcd-servers=${this.etcdUrl}`, `--etcd-prefix=/${this.prefix}`,
      '--bind-address=127.0.0.1', `--secure-port=${port}`, `--cert-dir=${join(this.dir, 'certs')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(keys, 'sa.pub')}`, `--service-account-signing-key-file=${join(keys, 'sa.key')}`,
      `--token-auth-file=${join(keys, 'tokens.csv')}`, '--authorization-mode=RBAC',
      // As kubeadm and the managed distributions set it; the default (false) refuses every
      // privileged container outright, before Pod Security could warn about one.
      '--allow-privileged=true',
      '--v=0',
    ]);
    this.kubeconfig = join(this.dir, 'kubeconfig');
    writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: local',
      'clusters:', `- name: local`, '  cluster:', `    server: https://127.0.0.1:${port}`, '    insecure-skip-tls-verify: true',
      'users:', '- name: local', '  user:', `    token: ${token}`,
      'contexts:', '- name: local', '  context: {cluster: local, user: local}', '',
    ].join('\n'));
    await waitFor('kube-apiserver /readyz', async () => {
      if (!this.procs.running('kube-apiserver')) throw new Error(this.procs.output('kube-apiserver').slice(-3000));
      return this.kubectl(['get', '--raw=/readyz']).status === 0;
    }, 90_000, 500);
    // The default namespace's ServiceAccount and the like come from controllers that do not run here;
    // nothing below needs them.
  }

  /** Runs kubectl against this server. */
  kubectl(args: string[], input?: string): ApplyResult {
    const r = spawnSync(this.bins.kubectl, [`--kubeconfig=${this.kubeconfig}`, ...args], { encoding: 'utf8', input, timeout: 120_000 });
    const stderr = r.stderr ?? '';
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: `${stderr}${r.error ? String(r.error) : ''}`, warnings: stderr.split('\n').filter((l) => l.startsWith('Warning:')) };
  }

  /** `kubectl apply --server-side` of a directory: files in name order, so namespaces (0000-…) come first. */
  applyDir(dir: string, extra: string[] = []): ApplyResult {
    return this.kubectl(['apply', '--server-side', '--field-manager=vigil', '-f', dir, ...extra]);
  }

  output(): string {
    return this.procs.output('kube-apiserver');
  }

  async stop(): Promise<void> {
    await this.procs.stopAll();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** etcd and one API server, for a test that needs a Kubernetes API to talk to; `stop` ends both. */
export async function startLocalCluster(bins: { etcd: string; kubeApiserver: string; kubectl: string }, name: string): Promise<{ api: LocalApiServer; stop: () => Promise<void> }> {
  const etcd = new LocalEtcd(bins.etcd);
  await etcd.start();
  const api = new LocalApiServer(bins, etcd.url, `registry-${name}`);
  try {
    await api.start();
  } catch (err) {
    await etcd.stop();
    throw err;
  }
  return { api, stop: async () => { await api.stop(); await etcd.stop(); } };
}
