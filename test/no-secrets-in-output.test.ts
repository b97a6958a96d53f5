import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { everyFeatureRouting } from '../alerts/routing/routing-presets';
import { VigilStack } from '../charts/vigil-stack';
import { productionConfig } from './fixtures/configs';
import { SECRET_PATTERNS } from './helpers/secret-patterns';
import { configDoc, objectOf, objectsOf, synthStack } from './helpers/synth';

describe('no secret value is written to dist/', () => {
  const config = { ...productionConfig, alertmanager: { routing: everyFeatureRouting() } };
  const app = new App();
  new VigilStack(app, 'vigil', { config });
  const yaml = app.synthYaml();
  const objects = synthStack(config);

  for (const [what, pattern] of SECRET_PATTERNS) {
    it(`contains no ${what}`, () => {
      expect(yaml).not.toMatch(pattern);
    });
  }

  it('creates no Secret objects: the user creates them', () => {
    expect(objectsOf(objects, 'Secret')).toEqual([]);
  });

  it('reads every Alertmanager secret from a mounted file', () => {
    const am = configDoc(objects, 'alertmanager-config', 'alertmanager.yml');
    const fileSettings = JSON.stringify(am).match(/"[a-z_]+_file":"[^"]+"/g) ?? [];
    expect(fileSettings.length).toBeGreaterThanOrEqual(6);
    const spec = objectOf(objects, 'StatefulSet', 'alertmanager').spec.template.spec;
    const mounted = spec.containers[0].volumeMounts.filter((m: any) => m.mountPath.startsWith('/etc/alertmanager/secrets/')).map((m: any) => m.mountPath);
    for (const setting of fileSettings) {
      const path = setting.split('":"')[1].slice(0, -1);
      expect(mounted.some((dir: string) => path.startsWith(`${dir}/`)), path).toBe(true);
    }
  });

  it('passes exporter credentials as secretKeyRef, never as values', () => {
    for (const d of [...objectsOf(objects, 'Deployment'), ...objectsOf(objects, 'StatefulSet')]) {
      for (const c of d.spec.template.spec.containers) {
        for (const e of c.env ?? []) {
          if (/PASS|PASSWORD|TOKEN|SECRET|USER$/.test(e.name)) expect(e.valueFrom?.secretKeyRef, `${d.metadata.name} ${e.name}`).toBeDefined();
        }
      }
    }
  });
});
