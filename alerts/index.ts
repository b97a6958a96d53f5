/**
 * Vigil's typed alerting: rule model, validation, rule packs, overrides, SLOs, LogQL rules, promtool
 * tests and rendering. Each stack component attaches the packs that come with it; the stack renders
 * them with `renderRulePacks` (one `<pack>.yml` per pack) and `renderLokiRulePacks` for Loki's ruler.
 * `defaultRulePacks()` gives the general packs to apps that render rules without the stack.
 */
export { alertRule, recordingRule, resolveAlert, defaultRunbookPath, formatNumber, percent, SEVERITIES } from './rule';
export type { AlertRule, AlertRuleProps, RecordingRule, RecordingRuleProps, Rule, ResolvedAlert, Severity, ThresholdText, DashboardLink } from './rule';
export { ruleGroup } from './rule-group';
export type { RuleGroup, RuleGroupProps } from './rule-group';
export { packAlerts, packRecords, packTests } from './rule-pack';
export type { RulePack, RuleTarget } from './rule-pack';
export type { RuleTest, InputSeries, AlertCheck, AlertState, ExpectedAlert, SampleCheck } from './rule-test';
export { ruleIssues, validateRulePacks, formatRuleIssue, RuleValidationError } from './validate';
export type { RuleIssue, ValidateOptions } from './validate';
export { renderRulePacks, renderLokiRulePacks, renderRulePack, renderRuleGroups, runbookUrl, DEFAULT_RUNBOOK_BASE_URL } from './render-rules';
export type { RenderRulesOptions, RenderedRuleFile } from './render-rules';
export { renderRuleTests } from './render-rule-tests';
export type { RenderRuleTestsOptions } from './render-rule-tests';
export { applyOverrides, alertOverrideSchema, alertOverridesSchema } from './overrides';
export type { AlertOverride, AlertOverrides } from './overrides';
export { availabilitySlo, latencySlo, sloRulePack, sloRules, sloDefinitionSchema, sloAlertNames, burnRateFactor, burnRateThreshold, SRE_WORKBOOK_WINDOWS } from './slo';
export type { SloDefinition, SloAlerting, RatioIndicator, LatencyIndicator, BurnRateWindow, BurnRateTier, AvailabilitySloOptions, LatencySloOptions, SloPackOptions } from './slo';
export { defaultRulePacks, defaultLogRulePacks } from './default-packs';
export type { DefaultRulePacksOptions, DefaultLogRulePacksOptions } from './default-packs';
export * from './packs';
export * from './metric-catalogue';
export { uncataloguedMetrics } from './catalogue-check';
export type { UncataloguedMetric } from './catalogue-check';
export { promqlIssues, promqlMetricNames, assertPromql } from '../lib/promql';
export { logqlIssues, assertLogql } from '../lib/logql';
export type { QueryIssue } from '../lib/query-issues';
export { templateIssues, TEMPLATE_FUNCTIONS } from '../lib/template';
export { durationSeconds, formatDuration, isPromDuration } from '../lib/duration';
