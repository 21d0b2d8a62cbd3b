// The lines of a data comparison file (数据比对): from a text in a request or a file on disk.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Splits a text into lines (LF or CRLF). */
export function* linesOf(text: string): Generator<string> {
  let start = 0;
  for (;;) {
    const i = text.indexOf('\n', start);
    if (i < 0) {
      if (start < text.length) yield text.slice(start).replace(/\r$/, '');
      return;
    }
    yield text.slice(start, i).replace(/\r$/, '');
    start = i + 1;
  }
}

/**
 * A file's lines, read lazily: the stream opens when iteration starts (a readline interface made
 * before would emit its lines, and close, while the import is still opening its transaction).
 */
export async function* fileLines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) yield line;
}
