// PDF rendering of certificates: pdf-lib with @pdf-lib/fontkit, the CJK font embedded as a subset.
// Debian's fonts-noto-cjk ships TrueType/OpenType collections (.ttc), which pdf-lib cannot embed,
// so the Simplified Chinese face is copied out of the collection into a plain OpenType font once
// (tables are shared by offset; this rewrites one table directory). HALL_CJK_FONT may name another
// .otf, .ttf or .ttc.
// fontkit's own subsetter loses the local subroutines of CID-keyed CFF fonts such as Noto Sans CJK
// (glyphs came out broken when rendered), so HarfBuzz's hb-subset (harfbuzzjs, WebAssembly) first
// cuts the font to the document's characters with the subroutines inlined; fontkit then only
// renumbers what is left.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import {
  decodePDFRawStream,
  PDFDocument,
  PDFName,
  PDFRawStream,
  rgb,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { dateInWords } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';

const CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
];

/** Copies face `index` of a font collection into a stand-alone sfnt font. */
export function extractFace(ttc: Buffer, index: number): Buffer {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') return ttc;
  const count = ttc.readUInt32BE(8);
  if (index >= count) throw new Error(`the collection has ${count} faces`);
  const off = ttc.readUInt32BE(12 + 4 * index);
  const numTables = ttc.readUInt16BE(off + 4);
  const tables: Array<{ tag: string; sum: number; o: number; len: number }> = [];
  for (let i = 0; i < numTables; i++) {
    const r = off + 12 + 16 * i;
    tables.push({
      tag: ttc.toString('latin1', r, r + 4),
      sum: ttc.readUInt32BE(r + 4),
      o: ttc.readUInt32BE(r + 8),
      len: ttc.readUInt32BE(r + 12),
    });
  }
  const headerLen = 12 + 16 * numTables;
  const size = tables.reduce((n, t) => n + ((t.len + 3) & ~3), headerLen);
  const out = Buffer.alloc(size);
  ttc.copy(out, 0, off, off + 12);
  let pos = headerLen;
  tables.forEach((t, i) => {
    const r = 12 + 16 * i;
    out.write(t.tag, r, 'latin1');
    out.writeUInt32BE(t.sum, r + 4);
    out.writeUInt32BE(pos, r + 8);
    out.writeUInt32BE(t.len, r + 12);
    ttc.copy(out, pos, t.o, t.o + t.len);
    pos += (t.len + 3) & ~3;
  });
  return out;
}

let fontBytes: Buffer | null = null;

/** The CJK font to embed (Simplified Chinese face of the collection), read once. */
export function cjkFont(env: NodeJS.ProcessEnv = process.env): Buffer {
  if (fontBytes) return fontBytes;
  const file = [env['HALL_CJK_FONT'], ...CANDIDATES].find((f): f is string => !!f && existsSync(f));
  if (!file)
    throw new SbError('SB_ERR_INTERNAL', {
      zh: '未找到中文字体，请安装 fonts-noto-cjk 或设置 HALL_CJK_FONT',
      en: 'no CJK font: install fonts-noto-cjk or set HALL_CJK_FONT',
    });
  const raw = readFileSync(file);
  if (raw.toString('latin1', 0, 4) !== 'ttcf') return (fontBytes = raw);
  const count = raw.readUInt32BE(8);
  const fk = fontkit as unknown as { create(b: Buffer): { postscriptName?: string } };
  for (let i = 0; i < count; i++) {
    const face = extractFace(raw, i);
    if (/(^|[^a-z])sc([^a-z]|$)|cjksc/i.test(fk.create(face).postscriptName ?? '')) return (fontBytes = face);
  }
  return (fontBytes = extractFace(raw, 0));
}

interface HbExports {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(b: number): void;
  hb_blob_get_data(b: number, length: number): number;
  hb_blob_get_length(b: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(f: number): void;
  hb_face_reference_blob(f: number): number;
  hb_set_add(set: number, cp: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(i: number): void;
  hb_subset_input_unicode_set(i: number): number;
  hb_subset_input_get_flags(i: number): number;
  hb_subset_input_set_flags(i: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4;
let hb: Promise<HbExports> | null = null;

function harfbuzz(): Promise<HbExports> {
  hb ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    const { instance } = await WebAssembly.instantiate(wasm);
    return instance.exports as unknown as HbExports;
  })();
  return hb;
}

/** The font cut to the characters of `text` (plus ASCII), subroutines inlined (hb-subset). */
export async function subsetFont(font: Buffer, text: string): Promise<Buffer> {
  const h = await harfbuzz();
  const input = h.hb_subset_input_create_or_fail();
  if (input === 0) throw new Error('hb_subset_input_create_or_fail failed');
  const buf = h.malloc(font.byteLength);
  new Uint8Array(h.memory.buffer).set(font, buf);
  const blob = h.hb_blob_create(buf, font.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
  const face = h.hb_face_create(blob, 0);
  h.hb_blob_destroy(blob);
  try {
    const set = h.hb_subset_input_unicode_set(input);
    for (let c = 0x20; c < 0x7f; c++) h.hb_set_add(set, c);
    for (const ch of text) h.hb_set_add(set, ch.codePointAt(0) ?? 0x20);
    h.hb_subset_input_set_flags(input, h.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    const sub = h.hb_subset_or_fail(face, input);
    if (sub === 0) throw new Error('hb_subset_or_fail failed');
    const out = h.hb_face_reference_blob(sub);
    const data = h.hb_blob_get_data(out, 0);
    const bytes = Buffer.from(new Uint8Array(h.memory.buffer, data, h.hb_blob_get_length(out)));
    h.hb_blob_destroy(out);
    h.hb_face_destroy(sub);
    return bytes;
  } finally {
    h.hb_subset_input_destroy(input);
    h.hb_face_destroy(face);
    h.free(buf);
  }
}

/**
 * @pdf-lib/fontkit writes the subset CFF's header offSize byte as the table's length (40; CFF allows
 * 1–4), and FreeType — behind Chrome's and Edge's PDF viewers and poppler — then rejects the whole
 * font: the certificates showed no Chinese at all there, only Latin from a substitute. Once pdf-lib has
 * embedded the font (flush), its byte is set to 4, the widest offset, which no reader relies on.
 */
export function mendCffHeaders(doc: PDFDocument): void {
  for (const [ref, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.get(PDFName.of('Subtype')) !== PDFName.of('CIDFontType0C'))
      continue;
    const cff = Uint8Array.from(decodePDFRawStream(obj).decode());
    if (cff.length < 4 || (cff[3] ?? 0) <= 4) continue;
    cff[3] = 4;
    doc.context.assign(ref, doc.context.flateStream(cff, { Subtype: 'CIDFontType0C' }));
  }
}

export interface CertificateLayout {
  titleZh: string;
  titleEn: string;
  /** label, value pairs under the title */
  fields: Array<[string, string]>;
  /** a cell's "\n" starts its second line (Chinese, then English) */
  table?: { head: string[]; rows: string[][]; widths: number[] };
  paragraphs: string[];
  issuer: string;
  issuedOn: string;
  verificationCode: string;
  verifyUrl: string;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (font.widthOfTextAtSize(line + ch, size) > width && line) {
      lines.push(line);
      line = ch;
    } else line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

/** A page's number in both languages, as each page of a certificate carries it. */
export const pageNumber = (n: number, of: number): string => `第 ${n} 页 / 共 ${of} 页 · Page ${n} of ${of}`;

export async function renderCertificate(l: CertificateLayout): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  doc.setTitle(`${l.titleZh} ${l.verificationCode}`);
  doc.setProducer('Shebao');
  // The day in words in both languages, as the rest of the page reads (it said 2025-04-15).
  const issuedOn = `${dateInWords(l.issuedOn, 'zh')} / ${dateInWords(l.issuedOn, 'en')}`;
  const footer = `出具日期 Date：验证码 Verification code：扫描二维码或访问核验本证明 / Scan or open the address to verify`;
  const allText = [
    l.titleZh,
    l.titleEn,
    ...l.fields.flat(),
    ...(l.table ? [...l.table.head, ...l.table.rows.flat()] : []),
    ...l.paragraphs,
    l.issuer,
    issuedOn,
    l.verificationCode,
    l.verifyUrl,
    footer,
    pageNumber(1, 1),
    '：—',
  ].join('');
  const font = await doc.embedFont(await subsetFont(cjkFont(), allText), { subset: true });
  const a4: [number, number] = [595.28, 841.89];
  let page: PDFPage = doc.addPage(a4);
  const black = rgb(0, 0, 0);
  const grey = rgb(0.35, 0.35, 0.35);
  const left = 56;
  const right = 595.28 - 56;
  let y = 780;
  const text = (s: string, x: number, size: number, color = black) =>
    page.drawText(s, { x, y, size, font, color });
  const center = (s: string, size: number, color = black) =>
    page.drawText(s, { x: (595.28 - font.widthOfTextAtSize(s, size)) / 2, y, size, font, color });
  const paragraphs = l.paragraphs.map((p) => wrap(p, font, 10.5, right - left));
  // The paragraphs and the foot (QR code and issuer up to y = 180) stay clear of the table's last row.
  const tableFloor = 200 + paragraphs.reduce((h, lines) => h + lines.length * 16 + 4, 10);

  center(l.titleZh, 24);
  y -= 22;
  center(l.titleEn, 11, grey);
  y -= 36;
  // Values in a column at 150 pt, or past a label longer than that (养老缴费月数 Pension months ran into its value).
  const valueX =
    left + Math.max(150, ...l.fields.map(([label]) => font.widthOfTextAtSize(`${label}：`, 11) + 8));
  for (const [label, value] of l.fields) {
    text(`${label}：`, left, 11);
    text(value, valueX, 11);
    y -= 20;
  }
  if (l.table) {
    y -= 8;
    const { head, rows, widths } = l.table;
    const rule = (at: number, thickness: number, color = grey) =>
      page.drawLine({ start: { x: left, y: at }, end: { x: right, y: at }, thickness, color });
    // A cell may hold two lines ("2025年4月15日\n15 Apr 2025"), and a line longer than its column
    // wraps inside it (a long employer name ran past the margin): the row is as tall as its tallest
    // cell. A row that would reach the paragraphs and foot starts a new page under the head again
    // (more than a dozen enrolments ran over the QR code).
    const row = (cells: string[], size: number, color = black, isHead = false) => {
      const lines = cells.map((c, i) =>
        c.split('\n').flatMap((part) => wrap(part, font, size, (widths[i] ?? 80) - 6)),
      );
      const leading = size + 2;
      const extra = (Math.max(1, ...lines.map((l) => l.length)) - 1) * leading;
      if (!isHead && y - extra - 18 < tableFloor) {
        page = doc.addPage(a4);
        y = 780;
        rule(y + 14, 0.8, black);
        row(head, 10, black, true);
      }
      let x = left;
      lines.forEach((cell, i) => {
        cell.forEach((line, k) => page.drawText(line, { x: x + 3, y: y - k * leading, size, font, color }));
        x += widths[i] ?? 80;
      });
      y -= extra;
      rule(y - 5, 0.4);
      y -= 18;
    };
    rule(y + 14, 0.8, black);
    row(head, 10, black, true);
    for (const r of rows) row(r, 9.5);
    if (rows.length === 0) row(['—'], 9.5, grey);
    y -= 6;
  }
  y -= 10;
  for (const lines of paragraphs) {
    for (const line of lines) {
      text(line, left, 10.5);
      y -= 16;
    }
    y -= 4;
  }
  // Issuer, date, verification code and QR code at the foot.
  const qr = await QRCode.toBuffer(l.verifyUrl, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 1,
    width: 240,
  });
  const png = await doc.embedPng(qr);
  page.drawImage(png, { x: left, y: 70, width: 110, height: 110 });
  y = 160;
  const fx = left + 130;
  text(l.issuer, fx, 11);
  y -= 20;
  text(`出具日期 Date：${issuedOn}`, fx, 11);
  y -= 20;
  text(`验证码 Verification code：${l.verificationCode}`, fx, 11);
  y -= 20;
  for (const line of wrap(
    `扫描二维码或访问 ${l.verifyUrl} 核验本证明 / Scan or open the address to verify`,
    font,
    8.5,
    right - fx,
  )) {
    text(line, fx, 8.5, grey);
    y -= 12;
  }
  // 第 N 页 / 共 M 页 under the foot of every page, a one-page certificate's too: the count on each
  // sheet shows the reader of a paper copy that none is missing (a table can run to several pages).
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const s = pageNumber(i + 1, pages.length);
    p.drawText(s, { x: (595.28 - font.widthOfTextAtSize(s, 8.5)) / 2, y: 40, size: 8.5, font, color: grey });
  });
  await doc.flush();
  mendCffHeaders(doc);
  return doc.save({ useObjectStreams: false });
}
