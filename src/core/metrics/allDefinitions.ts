// Every definition table in one place, checked so that no key is defined in two tables: meta.json
// `metricDefinitions`, summary.definitions and the report's Methodology merge them, and a key defined
// twice (contention_rate once was, as a percent and as a fraction) would be overwritten silently.
import { METRIC_DEFINITION_TABLES, metricDefinitionsFor } from './definitions';
import { SUMMARY_DEFINITIONS } from '../stats/metrics';
import { CAPACITY_DEFINITIONS } from '../capacity/definitions';

export type DefinitionTables = Readonly<Record<string, Readonly<Record<string, string>>>>;

export const DEFINITION_TABLES: DefinitionTables = { ...METRIC_DEFINITION_TABLES, SUMMARY_DEFINITIONS, CAPACITY_DEFINITIONS };

/** Keys that more than one table defines, with the tables' names. */
export function duplicateDefinitionKeys(tables: DefinitionTables): { key: string; tables: string[] }[] {
  const owners = new Map<string, string[]>();
  for (const [table, defs] of Object.entries(tables)) {
    for (const key of Object.keys(defs)) owners.set(key, [...(owners.get(key) ?? []), table]);
  }
  return [...owners].filter(([, t]) => t.length > 1).map(([key, t]) => ({ key, tables: t }));
}

/** The tables merged; throws (a programmer error, caught by every test that loads this module) on a key defined twice. */
export function checkedDefinitions(tables: DefinitionTables): Record<string, string> {
  const dup = duplicateDefinitionKeys(tables);
  if (dup.length > 0) {
    throw new Error(dup.map((d) => `definition key "${d.key}" is defined in more than one table: ${d.tables.join(', ')}`).join('; '));
  }
  return Object.assign({}, ...Object.values(tables)) as Record<string, string>;
}

/** Every definition, each key once. Checked when the module loads, so a duplicate fails the build's tests. */
export const ALL_DEFINITIONS: Readonly<Record<string, string>> = checkedDefinitions(DEFINITION_TABLES);

/** What a run records in meta.json `metricDefinitions`: every definition, with the experiment's cold threshold. */
export function recordedDefinitions(coldThresholdMs: number): Record<string, string> {
  return { ...ALL_DEFINITIONS, ...metricDefinitionsFor(coldThresholdMs) };
}
