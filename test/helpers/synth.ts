import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import YAML from 'yaml';
import { VigilStack, VigilStackProps } from '../../charts/vigil-stack';
import { StackConfigInput } from '../../charts/config';
import { synthesizedObjects } from './synthesized';

/** A Kubernetes object as written to dist/. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [k: string]: any };

/**
 * Synthesizes a stack in memory and returns its objects, in output order. The default configuration
 * (no config, no props) is the default app's output, synthesized once per test run and shared by
 * every test file (test/golden-output.test.ts checks the two are the same).
 */
export function synthStack(config: StackConfigInput = {}, props: Omit<VigilStackProps, 'config'> = {}): Manifest[] {
  if (Object.keys(config).length === 0 && Object.keys(props).length === 0) return synthesizedObjects('default');
  return synthStackInMemory(config, props);
}

/** {@link synthStack} without the shared default: always a fresh synth in this process. */
export function synthStackInMemory(config: StackConfigInput = {}, props: Omit<VigilStackProps, 'config'> = {}): Manifest[] {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'));
  try {
    const app = new App({ outdir: dir });
    new VigilStack(app, 'vigil', { ...props, config });
    return YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJSON()).filter((o) => o);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads every `*.k8s.yaml` file of a directory: file name to content. */
export function readOutput(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml')).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The objects of one kind (and optionally one name). */
export function objectsOf(objects: Manifest[], kind: string, name?: string): Manifest[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

/** One object by kind and name; throws when absent so a test cannot pass vacuously. */
export function objectOf(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objectsOf(objects, kind, name);
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}/${name}, found ${found.length}`);
  return found[0];
}

/** A ConfigMap's data key, parsed as YAML. */
export function configDoc(objects: Manifest[], configMap: string, key: string): any {
  return YAML.parse(objectOf(objects, 'ConfigMap', configMap).data[key]);
}

/** Every pod template (Deployment, StatefulSet, DaemonSet) with its owner. */
export function podTemplates(objects: Manifest[]): Array<{ owner: Manifest; spec: any; metadata: any }> {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .map((o) => ({ owner: o, spec: o.spec.template.spec, metadata: o.spec.template.metadata }));
}
