// Colours for report figures and the dashboard: the Okabe–Ito palette (distinguishable with the common
// colour-vision deficiencies) for series, and a viridis-like ramp for heatmaps.

export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;

export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}

/** "#rrggbb" + alpha → "rgba(r, g, b, a)". */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

// Viridis control points (t = 0, 0.25, 0.5, 0.75, 1).
const RAMP: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

/** Colour of t ∈ [0, 1] on the ramp (clamped). */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = RAMP[i].map((v, k) => Math.round(v + f * (RAMP[i + 1][k] - v)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Dark text on the light end of the ramp, light text on the dark end. */
export function rampTextColor(t: number): string {
  return t > 0.6 ? '#1a1a1a' : '#ffffff';
}

export const TEXT_COLOR = '#222222';
export const GRID_COLOR = 'rgba(0, 0, 0, 0.12)';
