import { deflateSync } from 'node:zlib';

// A tiny PNG encoder for the demo image: the platform draws it, so no binary is shipped.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGB PNG of width × height from a function giving each pixel's colour. */
export function encodePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number],
): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The demo picture: three people (circles) around a table under a sky, in the site's colours. */
export function demoPicture(): Buffer {
  const w = 480;
  const h = 240;
  const people: [number, number, [number, number, number]][] = [
    [150, 120, [11, 83, 148]],
    [240, 100, [179, 92, 0]],
    [330, 120, [29, 107, 47]],
  ];
  return encodePng(w, h, (x, y) => {
    if (y > 160 && x > 100 && x < 380 && y < 180) return [90, 60, 40];
    for (const [cx, cy, c] of people) {
      const dx = x - cx;
      const dy = y - cy;
      if (dx * dx + dy * dy < 26 * 26) return c;
      if (y > cy + 30 && y < 165 && Math.abs(dx) < 30) return c;
    }
    return y < 190 ? [232, 241, 250] : [214, 226, 205];
  });
}
