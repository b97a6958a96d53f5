import { freePort } from './processes';

/**
 * The only change the end-to-end runs make to a generated collector or Jaeger configuration: every
 * listen address `0.0.0.0:<port>` becomes a free loopback port, and so does the telemetry pull
 * exporter (`host: 0.0.0.0`, `port: 8888`). `ports` maps each generated port to the loopback one.
 */
export async function otelToLoopback(text: string, ports: Map<string, number>): Promise<string> {
  let out = text;
  for (const m of new Set(text.match(/0\.0\.0\.0:\d+/g) ?? [])) {
    const p = await freePort();
    ports.set(m.split(':')[1], p);
    out = out.split(m).join(`127.0.0.1:${p}`);
  }
  const telemetry = await freePort();
  ports.set('8888', telemetry);
  return out.replace(/host: 0\.0\.0\.0/g, 'host: 127.0.0.1').replace(/port: 8888\b/g, `port: ${telemetry}`);
}

/**
 * The collector's k8sattributes processor asks the Kubernetes API for pod metadata and will not
 * start without a client. The generated config uses the pod's service account
 * (`auth_type: serviceAccount`); outside a cluster it uses a kubeconfig instead (`auth_type:
 * kubeConfig`, read from $KUBECONFIG: processor/k8sattributesprocessor/config.go and
 * internal/k8sconfig/config.go of opentelemetry-collector-contrib v0.158.0), pointing at the loopback
 * API server of test/e2e/harness/kube-apiserver.ts.
 */
export function withKubeconfigAuth(text: string): string {
  return text.replace(/auth_type: serviceAccount/g, 'auth_type: kubeConfig');
}
