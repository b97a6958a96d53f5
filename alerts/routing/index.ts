/**
 * Alertmanager routing as typed data: receivers whose secrets come from Kubernetes Secrets, the route
 * tree, inhibition and time intervals, validated and rendered to `alertmanager.yml`. Independent of
 * the rule model beside it (see docs/routing.md).
 */
export * from './alertmanager-config';
export * from './inhibit-rules';
export * from './receivers';
export * from './routing';
export * from './routing-matchers';
export * from './time-intervals';
export * from './routing-warnings';
