import { Manifest } from './synth';

type ModelClass = new (data: unknown) => { validate(): void };

/**
 * Validates an object against the Kubernetes OpenAPI schema (through the `kubernetes-models`
 * validators): types, required fields, enums and formats. Returns the problems, empty when valid.
 */
export async function kubeSchemaErrors(obj: Manifest): Promise<string[]> {
  const where = `${obj.kind}/${obj.metadata?.name}`;
  let mod: Record<string, ModelClass>;
  try {
    mod = await import(`kubernetes-models/${obj.apiVersion}`);
  } catch {
    return [`${where}: unknown apiVersion ${obj.apiVersion}`];
  }
  const Model = mod[obj.kind];
  if (!Model) return [`${where}: unknown kind ${obj.kind} in ${obj.apiVersion}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    return [`${where}: ${err instanceof Error ? err.message : String(err)}`];
  }
}
