// Certificates as a reader draws them: the embedded CJK font is one FreeType (Chrome's and Edge's PDF
// viewers, poppler) accepts, and a table too long or too wide for the page stays inside its margins
// and clear of the paragraphs and the foot; every page says which it is of how many.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePDFRawStream, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { pdfText } from '../testing/pdf-text.ts';
import { pageNumber, renderCertificate, type CertificateLayout } from './certificate.pdf.ts';

const LONG_NAME = '宣城市某某新材料科技发展有限公司';

const layout = (rows: number): CertificateLayout => ({
  titleZh: '社会保险参保证明',
  titleEn: 'Certificate of social insurance participation',
  fields: [['姓名 Name', '张三']],
  table: {
    head: ['险种\nScheme', '状态\nStatus', '起始日期\nFrom', '终止日期\nUntil', '缴费单位\nEmployer'],
    widths: [140, 62, 80, 80, 122],
    rows: Array.from({ length: rows }, (_, i) => [
      '职工基本养老保险\nEmployee basic pension',
      '已终止\nended',
      `2023年10月${i + 1}日\n${i + 1} Oct 2023`,
      '2025年8月2日\n2 Aug 2025',
      LONG_NAME,
    ]),
  },
  paragraphs: ['兹证明上述人员在宣城市参加社会保险，参保情况如上表所列。'],
  issuer: '宣城市社会保险事业管理中心',
  issuedOn: '2026-12-04',
  verificationCode: 'ABCD-EFGH-JKLM',
  verifyUrl: 'https://shebao.example/verify/ABCD-EFGH-JKLM',
});

test('the embedded CFF font has a header FreeType accepts (offSize 1–4; fontkit wrote 40)', async () => {
  const doc = await PDFDocument.load(await renderCertificate(layout(2)));
  const offSizes: number[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects())
    if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Subtype')) === PDFName.of('CIDFontType0C'))
      offSizes.push(decodePDFRawStream(obj).decode()[3] ?? 0);
  assert.equal(offSizes.length, 1, 'one embedded CJK font');
  for (const o of offSizes) assert.ok(o >= 1 && o <= 4, `offSize ${o}`);
});

test('thirty rows run onto further pages under the head again; a long name wraps inside its column', async () => {
  const pdf = await renderCertificate(layout(30));
  const pages = (await PDFDocument.load(pdf)).getPageCount();
  assert.ok(pages >= 2, `${pages} page(s)`);
  const lines = pdfText(pdf).split('\n');
  // every row once, the head on each page, the paragraph and foot once (on the last page)
  for (let i = 1; i <= 30; i++)
    assert.equal(lines.filter((l) => l === `2023年10月${i}日`).length, 1, `row ${i}`);
  assert.equal(lines.filter((l) => l === '险种').length, pages);
  assert.equal(lines.filter((l) => l.startsWith('兹证明')).length, 1);
  assert.equal(lines.filter((l) => l === '宣城市社会保险事业管理中心').length, 1);
  // 16 characters at 9.5 pt are wider than the 122 pt column: two lines, nothing lost
  assert.equal(lines.filter((l) => l === LONG_NAME).length, 0, 'the name is not drawn in one line');
  const first = lines.find((l) => LONG_NAME.startsWith(l) && l.length > 1 && l !== LONG_NAME) ?? '';
  assert.ok(first.length >= 8, `first line of the name: ${first}`);
  assert.equal(lines.filter((l) => l === LONG_NAME.slice(first.length)).length, 30);
});

test('a label longer than the value column pushes the values right, clear of it', async () => {
  const pdf = await renderCertificate({
    ...layout(0),
    fields: [
      ['姓名 Name', '张三'],
      ['养老缴费月数 Pension months', '133'],
    ],
  });
  // the page's drawing operators (its content stream: the one stream with text matrices)
  const ops = [...(await PDFDocument.load(pdf)).context.enumerateIndirectObjects()]
    .map(([, obj]) => obj)
    .filter((obj): obj is PDFRawStream => obj instanceof PDFRawStream)
    .map((obj) => Buffer.from(decodePDFRawStream(obj).decode()).toString('latin1'))
    .filter((text) => text.includes(' Tm'))
    .join('\n');
  // each drawText is "1 0 0 1 x y Tm": the two field rows are the ones at y = 722 and 702
  const xs = (y: number) =>
    [...ops.matchAll(new RegExp(`1 0 0 1 ([\\d.]+) ${y} Tm`, 'g'))].map((m) => Number(m[1]));
  const [nameLabel, nameValue] = xs(722);
  const [monthsLabel, monthsValue] = xs(702);
  assert.deepEqual([nameLabel, monthsLabel], [56, 56]);
  assert.equal(nameValue, monthsValue, 'one column for the values');
  // the fixed column (56 + 150) sat under the end of 养老缴费月数 Pension months：
  assert.ok((monthsValue ?? 0) > 206 + 8, `values at ${monthsValue}`);
});

/** The text of each page on its own (the page copied into a document of one page). */
async function textByPage(pdf: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(pdf);
  const out: string[][] = [];
  for (let i = 0; i < doc.getPageCount(); i++) {
    const one = await PDFDocument.create();
    const [page] = await one.copyPages(doc, [i]);
    if (page) one.addPage(page);
    out.push(pdfText(await one.save({ useObjectStreams: false })).split('\n'));
  }
  return out;
}

test('every page says 第 N 页 / 共 M 页 (Page N of M): thirty rows on M pages, and a short certificate on 第 1 页 / 共 1 页', async () => {
  const pages = await textByPage(await renderCertificate(layout(30)));
  assert.ok(pages.length >= 2, `${pages.length} page(s)`);
  pages.forEach((lines, i) =>
    assert.deepEqual(
      lines.filter((l) => l.startsWith('第 ')),
      [`第 ${i + 1} 页 / 共 ${pages.length} 页 · Page ${i + 1} of ${pages.length}`],
      `page ${i + 1}`,
    ),
  );
  const one = await textByPage(await renderCertificate(layout(2)));
  assert.equal(one.length, 1);
  assert.deepEqual(
    one[0]?.filter((l) => l.startsWith('第 ')),
    [pageNumber(1, 1)],
  );
  assert.equal(pageNumber(1, 1), '第 1 页 / 共 1 页 · Page 1 of 1');
});
