// Reading a rendered PNG back: how much of it is not background and how many colours it uses, so a
// test can tell a drawn figure from a blank one.
import { createCanvas, loadImage } from '@napi-rs/canvas';

export interface PngInk { width: number; height: number; ink: number; colours: number }

/** ink = fraction of pixels that differ from the top-left (background) pixel; colours = distinct RGB values (sampled). */
export async function pngInk(png: Buffer): Promise<PngInk> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  const bg = [data[0], data[1], data[2], data[3]];
  let differ = 0;
  const colours = new Set<number>();
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] !== bg[0] || data[i + 1] !== bg[1] || data[i + 2] !== bg[2] || data[i + 3] !== bg[3]) differ++;
    if ((i / 4) % 7 === 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  }
  return { width: img.width, height: img.height, ink: differ / (data.length / 4), colours: colours.size };
}

/** The RGBA of the pixel at (x, y). */
export async function pixelAt(png: Buffer, x: number, y: number): Promise<number[]> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return [...ctx.getImageData(x, y, 1, 1).data];
}
