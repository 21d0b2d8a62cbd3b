// One test process for several test files (scripts/test.mjs names them in SHEBAO_TEST_GROUP): each file's
// tests, and its before/after hooks, make a suite named by the file.
import { relative } from 'node:path';
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url);
for (const file of JSON.parse(process.env.SHEBAO_TEST_GROUP ?? '[]'))
  describe(relative(root.pathname, file), () => import(pathToFileURL(file).href));
