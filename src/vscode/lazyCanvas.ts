// The extension bundle maps '@napi-rs/canvas' to this module (esbuild alias): the native canvas loads
// with the first report figure, not with the extension, so an install without it (the .vsix ships no
// node_modules) still starts, and writes its reports without PNG figures.
import { createRequire } from 'node:module';
import type * as Canvas from '@napi-rs/canvas';
import { ChimeraError } from '../core/errors';

type CanvasModule = typeof Canvas;
let loaded: CanvasModule | null | undefined;

function load(): CanvasModule | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(__filename)('@napi-rs/canvas') as CanvasModule;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** Whether report figures can be drawn in this install. */
export function canvasAvailable(): boolean {
  return load() !== null;
}

/** The one entry point the report renderer uses: a plain raster canvas. */
export function createCanvas(width: number, height: number): Canvas.Canvas {
  const m = load();
  if (!m) {
    throw new ChimeraError('E_NOT_FOUND', 'report figures need the @napi-rs/canvas package, which this install of the extension does not include', {
      hint: 'reports are written without figures; the dashboard draws every chart. For PNG figures use the chimeraforge CLI from a checkout',
    });
  }
  return m.createCanvas(width, height);
}
