// Report figure definitions (src/core/charts) turned into messages: the Chart.js configuration as JSON
// with its plugins named by id (functions do not cross postMessage), heatmaps as cell tables.
import type { HeatmapOptions } from '../../core/charts/plugins';
import type { ChartSpec } from '../../core/charts/types';
import type { ChartPayload, FigurePayload, HeatmapPayload } from '../../shared/protocol';

function axisTitle(config: ChartSpec['config'], axis: 'x' | 'y'): string {
  const scale = (config.options?.scales as Record<string, { title?: { text?: unknown } }> | undefined)?.[axis];
  return typeof scale?.title?.text === 'string' ? scale.title.text : axis;
}

export function figurePayload(spec: ChartSpec): FigurePayload {
  const { plugins = [], ...rest } = spec.config;
  const ids = plugins.map((p) => p.id);
  const heat = (spec.config.options?.plugins as { cfHeatmap?: HeatmapOptions } | undefined)?.cfHeatmap;
  if (ids.includes('cfHeatmap') && heat) {
    const payload: HeatmapPayload = {
      kind: 'heatmap', id: spec.name, title: spec.title, caption: spec.caption,
      xName: axisTitle(spec.config, 'x'), yName: axisTitle(spec.config, 'y'),
      xLabels: [...heat.xLabels], yLabels: [...heat.yLabels],
      values: heat.values.map((row) => [...row]), notes: (heat.notes ?? heat.values.map((row) => row.map(() => null))).map((row) => [...row]),
      unit: heat.unit,
    };
    return payload;
  }
  const payload: ChartPayload = {
    kind: 'chart', id: spec.name, title: spec.title, caption: spec.caption, width: spec.width, height: spec.height,
    // JSON round trip: the message carries data only (no functions, no shared references).
    config: JSON.parse(JSON.stringify(rest)) as Record<string, unknown>,
    plugins: ids,
  };
  return payload;
}
