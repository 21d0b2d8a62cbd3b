// Notes a process writes in both languages, "已转安徽省办理 / sent to Anhui", read by one reader: the
// hall's application history (web/src/format.ts) and the messages the hall writes split them alike.

/**
 * The reader's half of a bilingual note. Text not of that shape, a clerk's own words, is returned as
 * it is.
 */
export function noteHalf(text: string, lang: 'zh' | 'en'): string {
  const cjk = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
  const i = text.lastIndexOf('/ ');
  if (i <= 0) return text;
  const zh = text.slice(0, i).trim();
  const en = text.slice(i + 2).trim();
  if (!cjk.test(zh) || cjk.test(en) || en === '') return text;
  return lang === 'zh' ? zh : en;
}
