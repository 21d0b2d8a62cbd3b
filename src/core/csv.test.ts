// CSV cells the system writes: formula-looking text is neutralized, numbers stay numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvLine, csvNumber, csvText, parseCsvLines, splitCsvLine } from './csv.ts';

test('text cells beginning with = + - @ tab or CR get a leading apostrophe', () => {
  assert.equal(csvText('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvText('+1+cmd|calc'), "'+1+cmd|calc");
  assert.equal(csvText('-2+3'), "'-2+3");
  assert.equal(csvText('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvText('\t=1'), "'\t=1");
  assert.equal(csvText('\r=1'), `"'\r=1"`);
  assert.equal(csvText('张三'), '张三');
  assert.equal(csvText('a=b'), 'a=b', 'only the first character matters');
  assert.equal(csvText(null), '');
  assert.equal(csvText('中国银行, 宣城分行'), '"中国银行, 宣城分行"');
});

test('the same starts typed in full width, small or superscript (a spreadsheet normalises them to = + - @) get the apostrophe too', () => {
  for (const start of ['＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫', '⁼', '⁺'])
    assert.equal(csvText(`${start}1+1`), `'${start}1+1`, start);
  assert.equal(csvText('－1+cmd|calc'), "'－1+cmd|calc");
  assert.equal(csvText('张＝三'), '张＝三', 'only the first character matters');
  assert.equal(csvText('１２３'), '１２３', 'full-width digits are no formula');
  assert.equal(csvText('\u{20BB7}＝'), '\u{20BB7}＝', 'a character beyond the BMP is read whole');
});

test('numeric cells stay plain numbers, negative ones included; anything else is refused', () => {
  assert.equal(csvNumber(-1234, 'amount_fen'), '-1234');
  assert.equal(csvNumber('-12.34', 'amount_yuan'), '-12.34');
  assert.equal(csvNumber(10n ** 18n, 'amount_fen'), '1000000000000000000');
  assert.throws(
    () => csvNumber('-1+cmd|calc', 'amount_fen'),
    (e: Error) => /“amount_fen”列的数值单元格/.test(e.message) && !e.message.includes('cmd'),
    'the message names the problem and does not echo the cell',
  );
  assert.throws(() => csvNumber('=1', 'seq'), /“seq”列/);
  assert.throws(() => csvNumber(0.5, 'amount_fen'), /column "amount_fen"/);
  assert.equal(csvLine([csvNumber(1, 'seq'), csvText('=x'), csvNumber(-5, 'amount_fen')]), "1,'=x,-5\n");
});

test('cells: commas, quotes with "" inside, trimmed; a line that cannot be read is one cell', () => {
  assert.deepEqual(splitCsvLine(' a , b ,c '), ['a', 'b', 'c']);
  assert.deepEqual(splitCsvLine('"张三, 李四",2021-09'), ['张三, 李四', '2021-09']);
  assert.deepEqual(splitCsvLine('"a""b",c'), ['a"b', 'c']);
  assert.deepEqual(splitCsvLine('"  x ",y'), ['x', 'y']);
  assert.deepEqual(splitCsvLine(''), ['']);
  assert.deepEqual(splitCsvLine('a,"b'), ['a,"b']);
});

test('one row per physical line, CRLF or LF, BOM dropped, blank lines kept so line numbers hold', () => {
  assert.deepEqual(parseCsvLines('\uFEFFh1,h2\r\n\r\n"x,y",z\n'), [['h1', 'h2'], [''], ['x,y', 'z'], ['']]);
});
