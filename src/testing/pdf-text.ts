// The text a person reads in a PDF that certificate.pdf.ts wrote, for tests: the CJK font is embedded
// as a subset, so the bytes hold glyph numbers, not characters. pdf-lib writes each drawText as one
// `<glyphs> Tj` in a Flate stream and maps glyphs back to Unicode in the font's ToUnicode CMap
// (`<glyph> <utf-16>` pairs); this reads both. One line per drawText, in drawing order.
import { inflateSync } from 'node:zlib';

function streams(pdf: Uint8Array): string[] {
  const bytes = Buffer.from(pdf);
  const text = bytes.toString('latin1');
  const out: string[] = [];
  const re = /\/Length (\d+)[^>]*>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const raw = bytes.subarray(start, start + Number(m[1]));
    try {
      out.push(inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1')); // not compressed (or not Flate)
    }
  }
  return out;
}

const utf16 = (hex: string): string =>
  String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

export function pdfText(pdf: Uint8Array): string {
  const all = streams(pdf);
  const glyphs = new Map<string, string>();
  for (const s of all.filter((x) => x.includes('beginbfchar')))
    for (const [, id, uni] of s.matchAll(/<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>/g))
      if (id && uni) glyphs.set(id.toLowerCase(), utf16(uni));
  if (glyphs.size === 0) throw new Error('no ToUnicode map in the PDF');
  const lines: string[] = [];
  for (const s of all)
    for (const [, hex] of s.matchAll(/<([0-9a-fA-F]*)>\s*Tj/g))
      lines.push((hex?.match(/.{4}/g) ?? []).map((g) => glyphs.get(g.toLowerCase()) ?? '\uFFFD').join(''));
  return lines.join('\n');
}
