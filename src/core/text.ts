// Untrusted text: what characters a field may hold, checked once at the HTTP edge (every JSON body
// string, every query-string value and path parameter, every CSV upload) so that no route has to.
//
// Refused everywhere: NUL and the other C0 controls, DEL and the C1 controls (U+007F–U+009F), bidi
// marks, embeddings, overrides and isolates (U+200E–U+200F, U+061C, U+202A–U+202E, U+2066–U+2069),
// zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and unpaired surrogates. Tab, CR and LF are
// allowed only in multi-line fields (a reason, a note, an address, an uploaded file). A password may
// hold bidi and zero-width characters (it is hashed, never shown) but no controls.
import { SbError } from './errors.ts';
import type { Words } from './bilingual.ts';

export type TextKind = 'line' | 'multiline' | 'secret';

// eslint-disable-next-line no-control-regex
const CONTROL_LINE = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const INVISIBLE = /[\u200b-\u200f\u061c\u2060\ufeff\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Keys whose values may span lines (matched on the last segment of the field name, case-insensitive). */
const MULTILINE_KEYS =
  /^(reason|note|notes|comment|comments|remark|remarks|description|address|text|message|csv|content|body)$/i;
const SECRET_KEYS = /^(password|newPassword|currentPassword|oldPassword|token)$/i;

export function textKindOf(field: string): TextKind {
  const last = field.split('.').pop() ?? field;
  if (SECRET_KEYS.test(last)) return 'secret';
  if (MULTILINE_KEYS.test(last)) return 'multiline';
  return 'line';
}

/** The reason a text is refused, or null when it is acceptable for its kind. */
export function badTextReason(raw: string, kind: TextKind): Words | null {
  // A file saved by a spreadsheet may begin with a byte-order mark; the CSV reader drops it.
  const value = kind === 'multiline' && raw.startsWith('\ufeff') ? raw.slice(1) : raw;
  if ((kind === 'multiline' ? CONTROL_MULTILINE : CONTROL_LINE).test(value))
    return { zh: '控制字符', en: 'a control character' };
  if (LONE_SURROGATE.test(value)) return { zh: '不成对的代理字符', en: 'an unpaired surrogate' };
  if (kind !== 'secret' && INVISIBLE.test(value))
    return { zh: '方向控制符或零宽字符', en: 'a bidi override or zero-width character' };
  return null;
}

/** Throws 400 SB_ERR_INVALID_TEXT naming the field when the text is refused. */
export function checkText(value: string, field: string, kind: TextKind = textKindOf(field)): void {
  const why = badTextReason(value, kind);
  if (why)
    throw new SbError('SB_ERR_INVALID_TEXT', {
      field,
      zh: `字段 ${field} 含有${why.zh}`,
      en: `field ${field} contains ${why.en}`,
    });
}

/**
 * Walks a parsed JSON value (or a query/params object) and checks every string, and every key.
 * `root` prefixes field names (`lines.3.name`); depth is bounded by the JSON parser already.
 */
export function checkTextDeep(value: unknown, root: string, kindOverride?: TextKind): void {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'string') {
      checkText(v, path || root, kindOverride ?? textKindOf(path || root));
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
      return;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const p = path ? `${path}.${k}` : k;
      checkText(k, p, 'line');
      walk(x, p);
    }
  };
  walk(value, '');
}

/** An uploaded text file (CSV): multi-line, so tab/CR/LF pass; the error names the line. */
export function checkUploadText(text: string): void {
  const why = badTextReason(text, 'multiline');
  if (!why) return;
  const lines = text.split('\n');
  const at = lines.findIndex((l) => badTextReason(l, 'multiline') !== null);
  const field = `(file) line ${at + 1}`;
  throw new SbError('SB_ERR_INVALID_TEXT', {
    field,
    zh: `文件第 ${at + 1} 行含有${why.zh}`,
    en: `line ${at + 1} of the file contains ${why.en}`,
  });
}

/** Longest text from another province kept for a person or a clerk to read (characters). */
export const FOREIGN_TEXT_MAX = 500;

const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');
const LONE_SURROGATE_ALL = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Text another province sent (a refusal's reason, a note, a statement's fields) made fit to show: it
 * is not checked at our HTTP edge, and refusing it would lose the message, so it is cleaned where the
 * message is taken in. Line breaks and tabs become spaces, every other control, bidi override or
 * isolate and zero-width character is dropped, an unpaired surrogate becomes U+FFFD, runs of white
 * space become one space, and beyond `max` characters (code points) the text is cut with an ellipsis.
 */
export function cleanForeignText(raw: string, max = FOREIGN_TEXT_MAX): string {
  const clean = raw
    .replace(WHITESPACE_CONTROLS, ' ')
    .replace(CONTROLS, '')
    .replace(INVISIBLE_ALL, '')
    .replace(LONE_SURROGATE_ALL, '\ufffd')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean.length <= max) return clean;
  const chars = [...clean];
  return chars.length <= max
    ? clean
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
