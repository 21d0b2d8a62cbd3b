// Builds the web portals (web/ → web/dist) when the build is missing or older than its sources.
// Run by `npm start` (prestart); `--force` always builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'web');
const builtIndex = join(web, 'dist', 'index.html');
// The app imports a few pure modules of the server (ID checks, dates, shared types), so those count too.
const sources = [
  join(web, 'src'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(root, 'src', 'core'),
  join(root, 'package-lock.json'),
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const force = process.argv.includes('--force');
const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newest));
if (!force && builtAt > 0 && builtAt >= sourcesAt) {
  process.stdout.write('web: web/dist is up to date\n');
  process.exit(0);
}

const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  process.stderr.write(
    'web: vite is not installed — run `npm install` first (the API still starts; / will say the app is not built)\n',
  );
  process.exit(0);
}
process.stdout.write(`web: building the portals (${builtAt === 0 ? 'no build yet' : 'sources changed'})…\n`);
const r = spawnSync(process.execPath, [vite, 'build', web, '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
if (r.status !== 0) {
  process.stderr.write('web: the build failed (see above)\n');
  process.exit(r.status ?? 1);
}
process.stdout.write('web: built web/dist\n');
