// Draws media/icon.png (the Marketplace / extensions-view icon) with @napi-rs/canvas: no downloaded art.
// Usage: node scripts/make-icon.mjs [out.png]   (deterministic: same pixels every run)
import { createCanvas } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';

const out = process.argv[2] ?? 'media/icon.png';
const S = 128;
const c = createCanvas(S, S);
const g = c.getContext('2d');

// Rounded square, forge-ember gradient.
const bg = g.createLinearGradient(0, 0, S, S);
bg.addColorStop(0, '#2b1055');
bg.addColorStop(1, '#d5451b');
g.fillStyle = bg;
g.beginPath();
g.roundRect(4, 4, S - 8, S - 8, 22);
g.fill();

// Three benchmark bars (shorter is faster).
g.fillStyle = 'rgba(255,255,255,0.92)';
const bars = [[26, 62], [52, 44], [78, 26]];
for (const [x, h] of bars) {
  g.beginPath();
  g.roundRect(x, 98 - h, 20, h, 3);
  g.fill();
}

// A rising trend line with a spark at its tip: measurements that lead somewhere.
g.strokeStyle = '#ffd166';
g.lineWidth = 6;
g.lineCap = 'round';
g.lineJoin = 'round';
g.beginPath();
g.moveTo(24, 60);
g.lineTo(56, 44);
g.lineTo(76, 50);
g.lineTo(102, 24);
g.stroke();
g.fillStyle = '#ffd166';
g.beginPath();
g.arc(102, 24, 7, 0, Math.PI * 2);
g.fill();

// Baseline.
g.fillStyle = 'rgba(255,255,255,0.92)';
g.fillRect(20, 100, 88, 5);

writeFileSync(out, c.toBuffer('image/png'));
console.log(`wrote ${out} (${S}x${S})`);
