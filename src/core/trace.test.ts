// The source shown under a trace step: decisions saved before references became { zh, en } keep their
// one mixed text, shown as saved less the notes meant for engineers ("(domain.md §7 [L])" reached
// clerks and citizens in the work-injury traces).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shownReference, storedTrace, type TraceStep } from './trace.ts';
import { explainTrace } from './trace-text.ts';

const saved = (reference: string): TraceStep => ({
  step: 'death grant multiple',
  value: 20,
  unit: 'number',
  reference,
});

test('a saved mixed reference loses the design-note pointer, keeps the document and its revision', () => {
  const s = saved('工伤保险条例 第三十九条 (2010 revision) (domain.md §7 [L])');
  assert.equal(shownReference(s, 'zh'), '工伤保险条例 第三十九条 (2010 revision)');
  assert.equal(shownReference(s, 'en'), '工伤保险条例 第三十九条 (2010 revision)');
  const words = { lang: 'zh', fieldName: (k: string) => k, code: (_: string, c: string) => c } as const;
  assert.doesNotMatch(explainTrace([s], words), /domain\.md|\[L\]/);
});

test('a bracket keeps its other phrases; tags, web addresses and sites, commits and worked-example ids go', () => {
  const cases: Array<[string, string]> = [
    [
      '工伤保险条例 第三十五条至第三十七条 (2010 revision, effective 2011-01-01) (domain.md §7 [L])',
      '工伤保险条例 第三十五条至第三十七条 (2010 revision, effective 2011-01-01)',
    ],
    [
      '人社部 财政部 2016 notice on phased rate cuts (Lexology summary, domain.md §2.1 [S])',
      '人社部 财政部 2016 notice on phased rate cuts (Lexology summary)',
    ],
    [
      '人社部发〔2020〕40号 (number [M]) — up to 6 months (domain.md §6.3 [S])',
      '人社部发〔2020〕40号 — up to 6 months',
    ],
    [
      'NBS 2021 income; death grant 948,240 (sldihb.cn; domain.md §7 [S], WE-24)',
      'NBS 2021 income; death grant 948,240',
    ],
    ['2016 national notice, via https://www.laitimes.com/en/article/i68z_ijui.html', '2016 national notice'],
    [
      '京人社发〔2024〕16号 https://rsj.beijing.gov.cn/xxgk/2024zcwj/202412/t20241224_3972825.html',
      '京人社发〔2024〕16号',
    ],
    ['domain-2.md §4.3 — 上海 5 天，无锡、盐城、西安 7 天', '上海 5 天，无锡、盐城、西安 7 天'],
    ['上海市 (pyt3.net shanghaishebao) [S]', '上海市'],
    [
      '中华人民共和国社会保险法 第八十八条 (text: LawRefBook/Laws 社会法/社会保险法.md @3cd6e86; in force 2011-07-01; domain-2.md §6.1 [L])',
      '中华人民共和国社会保险法 第八十八条 (in force 2011-07-01)',
    ],
  ];
  for (const [before, after] of cases) assert.equal(shownReference(saved(before), 'zh'), after, before);
});

test('a text that is only a note shows no source; a saved text without notes is shown unchanged', () => {
  assert.equal(shownReference(saved('(domain.md §2.1)'), 'zh'), undefined);
  const plain = '《个人养老金实施办法》（人社部发〔2022〕70号）第二十六条：达到领取基本养老金年龄';
  assert.equal(shownReference(saved(plain), 'en'), plain);
});

test('a step with both languages shows each as it is, in the reader’s language', () => {
  const s: TraceStep = {
    step: 'x',
    value: 1,
    unit: 'number',
    reference: 'Social Insurance Law, art. 10',
    referenceZh: '《社会保险法》第十条',
  };
  assert.equal(shownReference(s, 'zh'), '《社会保险法》第十条');
  assert.equal(shownReference(s, 'en'), 'Social Insurance Law, art. 10');
  assert.equal(shownReference({}, 'zh'), undefined);
});

test('a stored trace is read with every step given a unit: its own, or the old rule for one saved without', () => {
  const saved = JSON.stringify([
    { step: 'basic pension = (C + C×Z)/2 × N × 1%', value: 281600 },
    { step: 'divisor at 60 years', value: 139 },
    { step: 'allowance paid by', value: 'employer' },
    { step: 'pension on', value: '2026-03-01' },
    { step: 'total months', value: 180, unit: 'months' },
  ]);
  assert.deepEqual(
    storedTrace(saved).map((s) => s.unit),
    ['fen', 'number', 'code:injury.payer', 'text', 'months'],
  );
  assert.deepEqual(storedTrace(null), []);
});
