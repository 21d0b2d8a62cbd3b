// JSON request bodies: Fastify's own parser (a `__proto__` key, or `constructor.prototype`, is refused as
// malformed), then one more rule — a body naming the same field twice is refused naming it. JSON.parse
// keeps the last of two `"amountFen"`s, another reader (a proxy, a log, a client library) may keep the
// first: a request must mean one thing to everyone who reads it.
import type { FastifyInstance } from 'fastify';
import { SbError } from '../core/errors.ts';

interface Frame {
  /** the keys seen so far in an object; null in a list */
  keys: Set<string> | null;
  /** the key being read in an object, or the item's number in a list */
  at: string | number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The dotted path (`lines.2.name`) of the first field a valid JSON text names twice in one object, or null. */
export function repeatedField(text: string): string | null {
  const stack: Frame[] = [];
  // the path is spelled only for the answer: building it for every object of a large import cost more than
  // the parse itself
  const pathHere = (): string => stack.map((f) => String(f.at)).join('.');
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // the closing quote: the first one not escaped by an odd run of backslashes (strings are skipped whole)
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes += 1;
        if (slashes % 2 === 0) break;
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.at = key;
        if (top.keys.has(key)) return pathHere();
        top.keys.add(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), at: '' });
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push({ keys: null, at: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.at = Number(top.at) + 1;
    }
  }
  return null;
}

/** Replaces the JSON body parser of `app` (and the plugins registered after it) with the stricter one. */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    void parse(req, text, (err, value) => {
      if (err) return done(err, undefined);
      const field = repeatedField(text);
      if (field === null) return done(null, value);
      done(
        new SbError('SB_ERR_VALIDATION', {
          field,
          zh: `字段 ${field} 出现了两次`,
          en: `the field ${field} is given twice`,
        }),
        undefined,
      );
    });
  });
}
