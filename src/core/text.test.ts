// Which characters a text field may hold (checked once at the HTTP edge).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  badTextReason,
  checkText,
  checkUploadText,
  cleanForeignText,
  FOREIGN_TEXT_MAX,
  textKindOf,
} from './text.ts';

test('field kinds: a reason or an address is multi-line, a password is secret, a name is one line', () => {
  assert.equal(textKindOf('reason'), 'multiline');
  assert.equal(textKindOf('lines.3.address'), 'multiline');
  assert.equal(textKindOf('password'), 'secret');
  assert.equal(textKindOf('name'), 'line');
});

test('one-line fields refuse every C0/C1 control, bidi override and zero-width character', () => {
  for (const bad of [
    '\u0000',
    '\t',
    '\n',
    '\r',
    '\u001b',
    '\u007f',
    '\u0085',
    '\u009f',
    '\u202a',
    '\u202e',
    '\u2066',
    '\u2069',
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\ud800',
  ])
    assert.notEqual(badTextReason(`张${bad}三`, 'line'), null, JSON.stringify(bad));
  assert.equal(badTextReason('张三 O’Brien-李 (1)', 'line'), null);
});

test('multi-line fields allow tab, CR and LF but nothing else; a password allows invisible characters, not controls', () => {
  assert.equal(badTextReason('第一行\r\n第二行\t备注', 'multiline'), null);
  assert.notEqual(badTextReason('a\u0000b', 'multiline'), null);
  assert.notEqual(badTextReason('a\u202eb', 'multiline'), null);
  assert.equal(badTextReason('pass\u200bword', 'secret'), null);
  assert.notEqual(badTextReason('pass\u0000word', 'secret'), null);
  assert.throws(
    () => checkText('x\u0000', 'name'),
    (e: { code?: string; field?: string }) => e.code === 'SB_ERR_INVALID_TEXT' && e.field === 'name',
  );
});

test('an upload may begin with a byte-order mark; a bad cell is reported with its line', () => {
  assert.doesNotThrow(() => checkUploadText('\ufeffid_number,name\r\n1,张三\r\n'));
  assert.throws(
    () => checkUploadText('id_number,name\n1,张三\n2,李\u0000四\n'),
    (e: { code?: string; field?: string }) => e.code === 'SB_ERR_INVALID_TEXT' && e.field === '(file) line 3',
  );
});

test('text from another province: controls, bidi overrides and zero-width characters go, lines become one, a long text is cut with an ellipsis', () => {
  const hostile = '\u0007拒绝\u202E原因\n' + 'x'.repeat(5000);
  const clean = cleanForeignText(hostile);
  assert.equal([...clean].length, FOREIGN_TEXT_MAX);
  assert.ok(clean.startsWith('拒绝原因 xxx'), clean.slice(0, 20));
  assert.ok(clean.endsWith('x…'));
  assert.equal(badTextReason(clean, 'line'), null);
  assert.equal(cleanForeignText('  a\r\n\tb\u0085c\u2066d\u2069\u200be\u0000 '), 'a b cde');
  assert.equal(cleanForeignText('\ud800x'), '\ufffdx');
  assert.equal(
    cleanForeignText('转出地无此人参保记录 / no record of this person here'),
    '转出地无此人参保记录 / no record of this person here',
  );
  // a cut never splits a character outside the BMP
  assert.equal(cleanForeignText('𠀀'.repeat(10), 4), '𠀀𠀀𠀀…');
});
