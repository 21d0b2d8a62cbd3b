// The reference under each parameter step of a trace is read by clerks and citizens: it must cite
// the legal source in the reader's language, never the engineers' pointers (domain.md, [L]/[S] tags,
// web addresses), which live in the files' `source` and `note`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectParams } from './params-loader.ts';
import { ENGINEER_NOTE } from './trace.ts';

/** Latin letters a Chinese reference may carry: none so far; add a proper name or abbreviation here with a reason. */
const ZH_LATIN_ALLOWED: readonly string[] = [];

const shown = [...projectParams().definitions.values()].flatMap((def) =>
  [...def.regions.entries()].flatMap(([region, versions]) =>
    versions.map((v) => ({ where: `${def.file} ${region} ${v.effectiveFrom}`, ...v.reference })),
  ),
);

test('every parameter version has a reference in both languages', () => {
  assert.ok(shown.length > 200, `${shown.length} versions`);
  for (const r of shown) assert.ok(r.zh.trim() && r.en.trim(), r.where);
});

test('no shown reference carries an internal pointer, a certainty tag or a web address', () => {
  for (const r of shown) for (const text of [r.zh, r.en]) assert.doesNotMatch(text, ENGINEER_NOTE, r.where);
});

test('the Chinese reference is Chinese (no Latin letters but whitelisted names), the English one has no Chinese', () => {
  for (const r of shown) {
    let zh = r.zh;
    for (const ok of ZH_LATIN_ALLOWED) zh = zh.replaceAll(ok, '');
    assert.doesNotMatch(zh, /[A-Za-z]/, `${r.where}: ${r.zh}`);
    assert.doesNotMatch(r.en, /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/, `${r.where}: ${r.en}`);
  }
});
