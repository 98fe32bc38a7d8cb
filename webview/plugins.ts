// Plugins the dashboard's charts may name by id: the report's own plugins, whose colours the dashboard
// sets through their options (theme foreground for error bars and box whiskers).
import type { Plugin } from 'chart.js';
import { backgroundPlugin, boxWhiskersPlugin, errorBarsPlugin } from '../src/core/charts/plugins';

const REGISTRY: Record<string, Plugin> = {
  cfBackground: backgroundPlugin,
  cfErrorBars: errorBarsPlugin,
  cfBoxWhiskers: boxWhiskersPlugin,
};

/** The plugin objects for ids; unknown ids are reported, not silently dropped. */
export function pluginsFor(ids: readonly string[]): { plugins: Plugin[]; unknown: string[] } {
  const plugins: Plugin[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const p = REGISTRY[id];
    if (p) plugins.push(p);
    else unknown.push(id);
  }
  return { plugins, unknown };
}
