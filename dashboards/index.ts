/**
 * Dashboards as typed TypeScript: the model, its validation and rendering, the stack's own dashboards,
 * SLO dashboards and the helper for parametrized app dashboards. See docs/grafana.md.
 */
export * from './model';
export { DATASOURCE_UIDS, ProvisionedDatasource } from './datasources';
export { DashboardFolder, DEFAULT_FOLDER, ProvisionDashboardsOptions, ProvisionedDashboard, dashboardExists, dashboardSetProblems, dashboardUids, provisionDashboards } from './provisioning';
export { dashboardJson, renderDashboard } from './render';
export { DashboardValidationError, assertDashboards, dashboardProblems } from './validate';
export { dashboardUid, slugify } from './uid';
export { datasourceVariable, labelVariable, standardMatchers, standardVariables } from './variables';
export { CADVISOR, GRAFANA, LOKI, NODEJS_RUNTIME, PROMETHEUS_INTERNALS, ALERTMANAGER_INTERNALS } from './metric-catalogue';
export { SLO_FOLDER, sloDashboard, sloDashboards, sloMetricCatalogue } from './slo';
export { STACK_DASHBOARD_UIDS, STACK_FOLDER, stackDashboards } from './stack';
export { AppContext, AppDashboardOptions, appContext } from './app-context';
