// Several test files in one test process (scripts/test.mjs writes a file per group that calls this): each
// file's tests, and its before/after hooks, make a suite named by the file.
import { relative } from 'node:path';
import { describe } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function testGroup(files) {
  for (const file of files) describe(relative(root, file), () => import(pathToFileURL(file).href));
}
