// Draws the OptGuard icon (a shield with a check mark) at 16, 32, 48 and 128 px and writes
// extension/icons/icon-N.png. Pure node: a tiny rasteriser with 4×4 supersampling and a PNG writer on
// zlib. Run: npm run icons
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';

const SIZES = [16, 32, 48, 128];
const SHIELD = [29, 78, 216]; // #1d4ed8
const SHIELD_DARK = [30, 58, 138]; // #1e3a8a, lower half gradient end
const CHECK = [255, 255, 255];

function cubic(p0, p1, p2, p3, steps) {
  const points = [];
  for (let i = 0; i <= steps; i += 1) {
    const t = i / steps;
    const u = 1 - t;
    points.push([
      u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
      u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
    ]);
  }
  return points;
}

// Unit square outline of the shield, clockwise.
const shield = [
  ...cubic([0.5, 0.04], [0.62, 0.12], [0.76, 0.15], [0.9, 0.16], 24),
  ...cubic([0.9, 0.16], [0.92, 0.55], [0.8, 0.8], [0.5, 0.97], 32),
  ...cubic([0.5, 0.97], [0.2, 0.8], [0.08, 0.55], [0.1, 0.16], 32),
  ...cubic([0.1, 0.16], [0.24, 0.15], [0.38, 0.12], [0.5, 0.04], 24),
];
const check = [
  [0.3, 0.52],
  [0.45, 0.67],
  [0.72, 0.37],
];

function insidePolygon(x, y, polygon) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function render(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  // Small icons need a bolder check to stay legible.
  const halfWidth = size <= 16 ? 0.085 : size <= 32 ? 0.072 : 0.06;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let shieldCover = 0;
      let checkCover = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (insidePolygon(x, y, shield)) {
            shieldCover += 1;
            const d = Math.min(distanceToSegment(x, y, check[0], check[1]), distanceToSegment(x, y, check[1], check[2]));
            if (d <= halfWidth) {
              checkCover += 1;
            }
          }
        }
      }
      const total = samples * samples;
      const alpha = shieldCover / total;
      const checkShare = shieldCover ? checkCover / shieldCover : 0;
      const t = py / size;
      const base = SHIELD.map((c, i) => c + (SHIELD_DARK[i] - c) * t * 0.8);
      const color = base.map((c, i) => Math.round(c + (CHECK[i] - c) * checkShare));
      const offset = (py * size + px) * 4;
      pixels[offset] = color[0];
      pixels[offset + 1] = color[1];
      pixels[offset + 2] = color[2];
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) {
    crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** @param {number} size @param {Buffer} rgba */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const size of SIZES) {
    const file = fileURLToPath(new URL(`../icons/icon-${size}.png`, import.meta.url));
    writeFileSync(file, encodePng(size, render(size)));
    console.log(`wrote ${file}`);
  }
}
