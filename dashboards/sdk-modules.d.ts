/**
 * Type declarations for the @grafana/grafana-foundation-sdk subpath imports.
 *
 * The SDK publishes its packages only through the `exports` map (`@grafana/grafana-foundation-sdk/dashboard`),
 * which TypeScript's classic `node` module resolution, the setting of this project, does not read. Node
 * itself (and tsx, vitest) resolves the subpaths at runtime; these declarations point the type checker at
 * the same files under `dist/`. Add a line here when you import another SDK package.
 */
declare module '@grafana/grafana-foundation-sdk/cog' { export * from '@grafana/grafana-foundation-sdk/dist/cog'; }
declare module '@grafana/grafana-foundation-sdk/common' { export * from '@grafana/grafana-foundation-sdk/dist/common'; }
declare module '@grafana/grafana-foundation-sdk/dashboard' { export * from '@grafana/grafana-foundation-sdk/dist/dashboard'; }
declare module '@grafana/grafana-foundation-sdk/gauge' { export * from '@grafana/grafana-foundation-sdk/dist/gauge'; }
declare module '@grafana/grafana-foundation-sdk/logs' { export * from '@grafana/grafana-foundation-sdk/dist/logs'; }
declare module '@grafana/grafana-foundation-sdk/loki' { export * from '@grafana/grafana-foundation-sdk/dist/loki'; }
declare module '@grafana/grafana-foundation-sdk/prometheus' { export * from '@grafana/grafana-foundation-sdk/dist/prometheus'; }
declare module '@grafana/grafana-foundation-sdk/stat' { export * from '@grafana/grafana-foundation-sdk/dist/stat'; }
declare module '@grafana/grafana-foundation-sdk/table' { export * from '@grafana/grafana-foundation-sdk/dist/table'; }
declare module '@grafana/grafana-foundation-sdk/timeseries' { export * from '@grafana/grafana-foundation-sdk/dist/timeseries'; }
