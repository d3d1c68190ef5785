import { randomBytes } from 'node:crypto';

// Certificate codes: 160 random bits in RFC 4648 base32 (32 characters), shown in groups of four.
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function newCode(): string {
  const bytes = randomBytes(20);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** What a person typed or a QR code carried, in the stored form; null when it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const c = input.toUpperCase().replace(/[\s-]/g, '');
  return /^[A-Z2-7]{32}$/.test(c) ? c : null;
}

export const groupedCode = (code: string) => code.match(/.{1,4}/g)!.join('-');
