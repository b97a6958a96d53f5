import { describe, expect, it } from 'vitest';
import { configDoc, objectsOf, synthStack } from './helpers/synth';

/**
 * A lone Alertmanager runs with clustering off (`--cluster.listen-address=`) and then registers no
 * `alertmanager_cluster_*` metrics (app/app.go at v0.34.0): the cluster alert could never fire and the
 * cluster panels would show no data. They come with a clustered Alertmanager only.
 */
const alertNames = (objects: ReturnType<typeof synthStack>): string[] =>
  configDoc(objects, 'prometheus-rules-stack', 'stack.yml').groups.flatMap((g: any) => g.rules.map((r: any) => r.alert)).filter(Boolean);

const dashboard = (objects: ReturnType<typeof synthStack>): any => {
  const cm = objectsOf(objects, 'ConfigMap').find((o) => Object.keys(o.data ?? {}).some((k) => /alertmanager/.test(k) && k.endsWith('.json')));
  const [text] = Object.values(cm!.data as Record<string, string>);
  return JSON.parse(text);
};
const panelTitles = (d: any): string[] => (d.panels ?? []).flatMap((p: any) => [p.title, ...(p.panels ?? []).map((q: any) => q.title)]);
const exprs = (d: any): string => JSON.stringify(d.panels);

describe('Alertmanager clustering: rules and panels only when it is deployed', () => {
  const single = synthStack();
  const clustered = synthStack({ alertmanager: { replicas: 3 } });

  it('one replica: no AlertmanagerClusterMembersInconsistent', () => {
    expect(alertNames(single)).not.toContain('AlertmanagerClusterMembersInconsistent');
    expect(alertNames(single)).toContain('AlertmanagerConfigReloadFailed');
  });

  it('three replicas: AlertmanagerClusterMembersInconsistent watches the gossip cluster', () => {
    expect(alertNames(clustered)).toContain('AlertmanagerClusterMembersInconsistent');
  });

  it('one replica: the dashboard reads no alertmanager_cluster_* metric and has no cluster panels', () => {
    const d = dashboard(single);
    expect(exprs(d)).not.toContain('alertmanager_cluster_');
    expect(panelTitles(d).filter((t) => /cluster/i.test(t))).toEqual([]);
    expect(panelTitles(d)).toContain('Configuration hash by replica');
  });

  it('three replicas: the cluster panels are there', () => {
    const d = dashboard(clustered);
    expect(panelTitles(d)).toEqual(expect.arrayContaining(['Cluster members', 'Cluster members and failed peers']));
  });
});
