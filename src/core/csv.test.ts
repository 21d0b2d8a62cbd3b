import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsvLines, splitCsvLine } from './csv.ts';

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
