/**
 * The datasources Vigil provisions in Grafana, each under a fixed uid. Dashboards, the datasource
 * correlations (logs → traces, traces → logs, exemplars → traces) and the tests all refer to these uids,
 * so they never change.
 */
export const DATASOURCE_UIDS = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  loki: 'loki',
  jaeger: 'jaeger',
} as const;

/** A datasource Vigil can provision. */
export type ProvisionedDatasource = keyof typeof DATASOURCE_UIDS;

/** Grafana plugin type of each datasource. */
export const DATASOURCE_TYPES: Readonly<Record<ProvisionedDatasource, string>> = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  loki: 'loki',
  jaeger: 'jaeger',
};

/** Display name of each datasource in Grafana. */
export const DATASOURCE_NAMES: Readonly<Record<ProvisionedDatasource, string>> = {
  prometheus: 'Prometheus',
  alertmanager: 'Alertmanager',
  loki: 'Loki',
  jaeger: 'Jaeger',
};
