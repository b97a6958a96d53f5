import { barbossaRouting } from '../../examples/barbossa/routing';
import { canvascastRouting } from '../../examples/canvascast/routing';
import { idkarrRouting } from '../../examples/idkarr/routing';
import { medianestRouting } from '../../examples/medianest/routing';

/** The routing each example app asked for (examples/<app>/routing.ts), by app name: the routing tests' fixtures. */
export const SEED_ROUTING = {
  idkarr: idkarrRouting,
  medianest: medianestRouting,
  canvascast: canvascastRouting,
  barbossa: barbossaRouting,
} as const;
