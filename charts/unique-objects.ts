import { ApiObject, App } from 'cdk8s';

const checked = new WeakSet<App>();

/**
 * Fails synth when two objects of one kind share a namespace and a name (cluster-scoped objects: a
 * name): `kubectl apply` would silently let the second overwrite the first. The message names both
 * construct paths, so the fix (another `name`, `namespace` or `chartPrefix`) is clear. Registered once
 * per App, by the first Vigil construct in it.
 */
export function ensureUniqueObjects(app: App): void {
  if (checked.has(app)) return;
  checked.add(app);
  app.node.addValidation({ validate: () => duplicateObjectErrors(app) });
}

/** One message per object that repeats the kind, namespace and name of an earlier one. */
export function duplicateObjectErrors(app: App): string[] {
  const seen = new Map<string, string>();
  const errors: string[] = [];
  for (const o of app.node.findAll()) {
    if (!(o instanceof ApiObject)) continue;
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const ns = o.metadata.namespace ?? '';
    const key = `${o.kind}.${group}/${ns}/${o.name}`;
    const first = seen.get(key);
    if (first) {
      errors.push(`two ${o.kind} objects named "${o.name}"${ns ? ` in namespace "${ns}"` : ''}: ${first} and ${o.node.path}; give one of them another name (or namespace, or a chartPrefix for a second stack)`);
    } else {
      seen.set(key, o.node.path);
    }
  }
  return errors;
}
