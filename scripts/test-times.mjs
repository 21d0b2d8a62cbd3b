// A node:test reporter for scripts/test.mjs, beside the spec one: at the end of a stage, the ten test
// files that took longest, to say where the stage's time goes. A file run alone is timed from its
// process's start to its end (Node's event for the file); a file in a group (scripts/test-group.mjs) by
// its suite, its hooks included, and the group's own start is not counted in any of its files.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const group = fileURLToPath(new URL('test-group.mjs', import.meta.url));
const SHOWN = 10;

export default async function* times(source) {
  const root = process.cwd();
  const took = [];
  for await (const event of source) {
    const { data } = event;
    if (data?.nesting !== 0 || data.details?.duration_ms === undefined) continue;
    // a file's own process (a group's file is timed by its members' suites, below)
    if (event.type === 'test:complete' && data.name === data.file && !data.file.includes('/groups-'))
      took.push([relative(root, data.file), data.details.duration_ms]);
    // a group member's suite, named by its path
    if ((event.type === 'test:pass' || event.type === 'test:fail') && data.file === group)
      took.push([data.name, data.details.duration_ms]);
  }
  if (took.length === 0) return;
  took.sort((a, b) => b[1] - a[1]);
  const total = took.reduce((sum, [, ms]) => sum + ms, 0);
  yield `# slowest test files (of ${took.length}, ${Math.round(total / 1000)} s of files' time in all):\n`;
  for (const [file, ms] of took.slice(0, SHOWN)) yield `#   ${(ms / 1000).toFixed(1)} s ${file}\n`;
}
