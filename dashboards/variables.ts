import type { DatasourceVariable, QueryDatasource, QueryVariable, VariableDefinition } from './model';

/**
 * The template variables most dashboards start with: a datasource picker, then namespace → job →
 * instance, each narrowing the next. Queries select on them with `=~` (multi-value variables expand to
 * a regex alternation).
 */

/** `$datasource`: a picker of Prometheus (or Loki) datasources, defaulting to the provisioned one. */
export function datasourceVariable(type: QueryDatasource = 'prometheus', name = type === 'prometheus' ? 'datasource' : 'logs'): DatasourceVariable {
  return { kind: 'datasource', name, label: type === 'prometheus' ? 'Data source' : 'Logs', type };
}

/** A variable listing the values of `label` on the series of `selector` (`label_values(selector, label)`). */
export function labelVariable(name: string, selector: string, label = name, options: Partial<Omit<QueryVariable, 'kind' | 'name' | 'query'>> = {}): QueryVariable {
  return { kind: 'query', name, label: name.charAt(0).toUpperCase() + name.slice(1), query: `label_values(${selector}, ${label})`, ...options };
}

/** Options of {@link standardVariables}. */
export interface StandardVariablesOptions {
  /**
   * The metric whose labels feed the pickers; every target has `up`.
   * @default 'up'
   */
  readonly metric?: string;
  /**
   * Fixed matchers narrowing every picker, e.g. `job=~"idkarr-.*"`.
   * @default - none
   */
  readonly matchers?: string;
  /**
   * Which pickers to add, in order.
   * @default ['namespace', 'job', 'instance']
   */
  readonly labels?: ReadonlyArray<'namespace' | 'job' | 'instance'>;
}

/** `$datasource`, then `$namespace`, `$job`, `$instance`, each filtered by the ones before it. */
export function standardVariables(options: StandardVariablesOptions = {}): VariableDefinition[] {
  const metric = options.metric ?? 'up';
  const labels = options.labels ?? ['namespace', 'job', 'instance'];
  const vars: VariableDefinition[] = [datasourceVariable()];
  const matchers: string[] = options.matchers ? [options.matchers] : [];
  for (const l of labels) {
    vars.push(labelVariable(l, `${metric}${matchers.length ? `{${matchers.join(', ')}}` : ''}`, l));
    matchers.push(`${l}=~"$${l}"`);
  }
  return vars;
}

/** The matchers that apply the standard variables in a query: `namespace=~"$namespace", job=~"$job", instance=~"$instance"`. */
export function standardMatchers(labels: ReadonlyArray<'namespace' | 'job' | 'instance'> = ['namespace', 'job', 'instance']): string {
  return labels.map((l) => `${l}=~"$${l}"`).join(', ');
}
