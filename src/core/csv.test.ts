// CSV cells the system writes: formula-looking text is neutralized, numbers stay numbers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvLine, csvNumber, csvText } from './csv.ts';

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

test('numeric cells stay plain numbers, negative ones included; anything else is refused', () => {
  assert.equal(csvNumber(-1234), '-1234');
  assert.equal(csvNumber('-12.34'), '-12.34');
  assert.equal(csvNumber(10n ** 18n), '1000000000000000000');
  assert.throws(() => csvNumber('-1+1'), /SB_ERR_INVALID_AMOUNT|数字/);
  assert.throws(() => csvNumber('=1'));
  assert.throws(() => csvNumber(0.5));
  assert.equal(csvLine([csvNumber(1), csvText('=x'), csvNumber(-5)]), "1,'=x,-5\n");
});
