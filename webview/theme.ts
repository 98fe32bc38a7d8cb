// Colours come from VS Code's theme variables only (read with getComputedStyle). The body's class
// changes with the theme (vscode-light / vscode-dark / vscode-high-contrast): a MutationObserver
// tells the views to redraw with the new colours.

export interface Theme {
  fg: string;
  muted: string;
  bg: string;
  grid: string;
  font: string;
  /** Series colours: VS Code's chart palette. */
  series: string[];
}

const SERIES_VARS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow', '--vscode-charts-foreground'];

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v !== '' ? v : fallback;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const fg = cssVar(style, '--vscode-editor-foreground', cssVar(style, '--vscode-foreground', 'CanvasText'));
  return {
    fg,
    muted: cssVar(style, '--vscode-descriptionForeground', fg),
    bg: cssVar(style, '--vscode-editor-background', 'Canvas'),
    grid: withAlpha(cssVar(style, '--vscode-charts-lines', fg), 0.25),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
    series: SERIES_VARS.map((v) => cssVar(style, v, fg)),
  };
}

export function seriesColor(t: Theme, i: number): string {
  return t.series[((i % t.series.length) + t.series.length) % t.series.length];
}

/** Any CSS colour VS Code uses (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()) with a new alpha. */
export function withAlpha(color: string, alpha: number): string {
  const c = color.trim();
  let r: number, g: number, b: number;
  const hex = /^#([0-9a-f]{3,8})$/i.exec(c);
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(c);
  if (hex) {
    const x = hex[1].length <= 4 ? [...hex[1].slice(0, 3)].map((d) => d + d).join('') : hex[1].slice(0, 6);
    const n = Number.parseInt(x, 16);
    [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  } else if (rgb) {
    [r, g, b] = [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  } else {
    return c;
  }
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Calls `onChange` when the theme class of the body changes. */
export function watchTheme(onChange: () => void): MutationObserver {
  let last = document.body.className;
  const obs = new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange();
  });
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return obs;
}
