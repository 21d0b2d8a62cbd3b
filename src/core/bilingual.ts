// Notes on an application (办件): a process writes them in both languages, `{ zh, en }`, and each
// reader sees their own; a person's own words (a clerk's reason, a reviewer's remark) stay as typed,
// `{ text }`, and read the same in both. Events and rows from before notes were data (migration
// 1581) hold one string, "已转安徽省办理 / sent to Anhui": readNote splits those, and only those.

/**
 * Words in both languages, each reader's own: a status's name, a refusal's reason, a note as a reader
 * gets it (a person's own words are the same in both). The one type of them, server and web.
 */
export interface Words {
  zh: string;
  en: string;
}

/** A note as the hall keeps it and the processes send it. */
export type Note = Words | { text: string };

/** Longest note kept, per language. */
const MAX = 2000;

const clip = (s: unknown): string => (typeof s === 'string' ? s.trim().slice(0, MAX) : '');

/**
 * A string of the former shape, one language or "中文 / English": the halves when it has both (a
 * Chinese half, then a non-empty half without Chinese after the last "/ "), else the text as it is.
 */
function fromString(s: string): Note {
  const cjk = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
  const i = s.lastIndexOf('/ ');
  const zh = i > 0 ? s.slice(0, i).trim() : '';
  const en = i > 0 ? s.slice(i + 2).trim() : '';
  return cjk.test(zh) && !cjk.test(en) && en !== '' ? { zh, en } : { text: s };
}

/**
 * A note as stored or sent, or null when there are no words: `{ zh, en }` (a missing half takes the
 * other), `{ text }`, or a string of the rows and events before 1581 (split by its shape).
 */
export function readNote(v: unknown): Note | null {
  if (typeof v === 'string') {
    const s = clip(v);
    return s === '' ? null : fromString(s);
  }
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if ('zh' in o || 'en' in o) {
    const zh = clip(o['zh']);
    const en = clip(o['en']);
    return zh === '' && en === '' ? null : { zh: zh || en, en: en || zh };
  }
  const text = clip(o['text']);
  return text === '' ? null : { text };
}

/** A person's own words as a note (null when blank). */
export const typedNote = (text: string | null | undefined): Note | null => readNote({ text: text ?? '' });

/** The note in each language. */
export const noteText = (n: Note): Words => ('text' in n ? { zh: n.text, en: n.text } : n);

/**
 * A note as one line, "中文 / English" (readNote splits it again): what the messages between provinces
 * carry and an audit entry keeps as its reason.
 */
export const noteLine = (n: Note): string => ('text' in n ? n.text : `${n.zh} / ${n.en}`);

/** The same words? (A repeated event with them adds nothing.) */
export function sameNote(a: Note | null, b: Note | null): boolean {
  if (a === null || b === null) return a === b;
  const x = noteText(a);
  const y = noteText(b);
  const typedA = 'text' in a;
  const typedB = 'text' in b;
  return x.zh === y.zh && x.en === y.en && typedA === typedB;
}

/**
 * The web catalogue's words of a code list in one language, keyed `${prefix}.${code}` as the pages look
 * them up: the words stay beside the server's list, so a code added there has words before a page shows it.
 */
export function codeLabels<P extends string, C extends string>(
  prefix: P,
  words: Readonly<Record<C, Words>>,
  lang: keyof Words,
): { [K in C as `${P}.${K}`]: string } {
  const entries = (Object.entries(words) as Array<[C, Words]>).map(([code, w]) => [
    `${prefix}.${code}`,
    w[lang],
  ]);
  return Object.fromEntries(entries) as { [K in C as `${P}.${K}`]: string };
}

/** A text the server writes, `{name}` for a figure, with the words each reader gets. */
export interface WrittenPattern {
  /** the stored text, `{name}` for a figure */
  written: string;
  /** the words each reader sees, `{name}` for the same figures */
  words: Words;
  /** figures that are themselves codes: their words */
  codes?: Readonly<Record<string, Readonly<Record<string, Words>>>>;
}

const escapeRe = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/**
 * A reader of stored texts by the patterns they were written from: the code and each reader's words of
 * the first pattern the whole text matches, else null. What was stored stays as it was (an audit
 * entry is in the hash chain, an old row is as it was written); the words are derived when read.
 */
export function patternReader<C extends string>(
  patterns: Readonly<Record<C, WrittenPattern>>,
): (stored: string) => { code: C; words: Words } | null {
  const matchers = (Object.entries(patterns) as Array<[C, WrittenPattern]>).map(([code, p]) => ({
    code,
    p,
    re: new RegExp(`^${escapeRe(p.written).replace(/\\?\{(\w+)\\?\}/g, '(?<$1>.+?)')}$`, 's'),
  }));
  const fill = (template: string, groups: Record<string, string>, p: WrittenPattern, lang: keyof Words) =>
    template.replace(/\{(\w+)\}/g, (_, n: string) => {
      const v = groups[n] ?? '';
      return p.codes?.[n]?.[v]?.[lang] ?? v;
    });
  return (stored) => {
    for (const m of matchers) {
      const found = m.re.exec(stored);
      if (!found) continue;
      const groups = { ...found.groups };
      return {
        code: m.code,
        words: { zh: fill(m.p.words.zh, groups, m.p, 'zh'), en: fill(m.p.words.en, groups, m.p, 'en') },
      };
    }
    return null;
  };
}
