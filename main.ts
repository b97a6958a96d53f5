import { App } from 'cdk8s';
import { VigilStack } from './charts/vigil-stack';
import { synthSafely } from './lib/safe-synth';

/**
 * The default Vigil app: the `homelab` profile with the packs that apply to any cluster. Edit the
 * configuration here (see docs/configuration.md), or start from an app in examples/.
 */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new VigilStack(app, 'vigil', {
    config: {
      profile: 'homelab',
    },
  });
  return app;
}

if (require.main === module) process.exitCode = synthSafely(buildApp, process.env.CDK8S_OUTDIR ?? 'dist');
