/**
 * The seed apps' dashboards as reusable, parametrized dashboards (metric prefix, label names, series
 * selector). The examples wire each to its system's metric names.
 */
export { AppDashboardOptions, appContext } from './app';
export { BARBOSSA_METRICS, BarbossaDashboardOptions, barbossaDashboards, barbossaMetricCatalogue, barbossaOverviewDashboard } from './barbossa';
export {
  CANVASCAST_METRICS, CanvasCastDashboardOptions, canvasCastBusinessDashboard, canvasCastDashboards, canvasCastMetricCatalogue,
  canvasCastPipelineDashboard, canvasCastSystemOverviewDashboard,
} from './canvascast';
export { IDKARR_METRICS, IdkarrDashboardOptions, idkarrDashboards, idkarrMetricCatalogue, idkarrOverviewDashboard } from './idkarr';
export {
  MEDIANEST_METRICS, MediaNestDashboardOptions, mediaNestApiDashboard, mediaNestBusinessDashboard, mediaNestDashboards,
  mediaNestInfrastructureDashboard, mediaNestLogsDashboard, mediaNestMetricCatalogue, mediaNestOverviewDashboard,
} from './medianest';
