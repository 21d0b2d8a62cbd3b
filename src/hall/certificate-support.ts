// What a certificate shows and how it is checked: a name masked to its first character, and the
// SHA-256 of the PDF bytes that /verify compares. Shared by the certificate and home services and
// the hall's routes.
import { createHash } from 'node:crypto';

export const maskName = (n: string): string =>
  n.length <= 1 ? '*' : `${n.slice(0, 1)}${'*'.repeat(n.length - 1)}`;
export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
