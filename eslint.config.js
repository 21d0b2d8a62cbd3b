// Type-aware linting: no floating promises, exhaustive switches over enums, no stray any.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---- Floors (docs/architecture.md): a folder imports only its own floor and the floors below. ----
// An upward import (registry → contributions, contributions → pension, any capability → calc, demo,
// ops or the assembly files) fails `npm run check`. src/floors.lint.test.ts proves it on a snippet.
export const FLOORS = {
  core: 0,
  db: 0,
  ledger: 1,
  registry: 1,
  auth: 1,
  audit: 1,
  approval: 1,
  http: 1,
  contributions: 2,
  pension: 3,
  unemployment: 3,
  injury: 3,
  certification: 4,
  cards: 4,
  hall: 4,
  supervision: 5,
  statistics: 5,
  simulation: 5,
  exchange: 5,
  federation: 5,
  calc: 6,
  demo: 6,
  ops: 6,
};
/** Assembly files at the top of src/ (floor 6; listen.ts: the servers' listen and shutdown; approval-kinds.ts, audit-actions.ts and code-lists.ts: what the capabilities register, composed); app-context.ts, config.ts, version.ts and cli-progress.ts are floor 0. */
const ASSEMBLY = [
  'server',
  'cli',
  'serve',
  'bootstrap',
  'listen',
  'approval-kinds',
  'audit-actions',
  'code-lists',
];

function floorPatterns(folder) {
  const floor = FLOORS[folder];
  const above = Object.keys(FLOORS).filter((f) => FLOORS[f] > floor);
  const patterns = [];
  if (above.length > 0)
    patterns.push({
      // an event's contract (`*.event.ts`, floor 0) excepted: its producers import it from below
      regex: `^(\\.\\./)+(${above.join('|')})(/(?![^/]*\\.event\\.ts$)|$)`,
      message: `${folder} is floor ${floor}: it may not import a higher floor (docs/architecture.md, Floors). Call down, or have the higher floor pass a function in.`,
    });
  if (floor < 6)
    patterns.push({
      regex: `^(\\.\\./)+(${ASSEMBLY.join('|')})\\.ts$`,
      message: `${folder} may not import the assembly (${ASSEMBLY.join(', ')}).`,
    });
  return patterns;
}
// Pure rules import only core/ and other rules (type-only imports of row shapes are allowed).
const RULES_PATTERN = {
  regex: '^\\.{1,2}/(?!core/)(?!.*\\.rules\\.ts$)',
  allowTypeImports: true,
  message: 'A *.rules.ts file is pure: it imports only core/ and other *.rules.ts files.',
};
// An event's contract (`<topic>.event.ts`), owned by its consumer and imported by its producers on any
// floor, stands on floor 0: it imports core/ and db/ only.
const EVENT_PATTERN = {
  regex: '^(\\./|\\.\\./(?!(core|db)/))',
  message: 'An event contract (*.event.ts) is floor 0: it imports core/ and db/ only.',
};
// core is pure: no database, no capability. (params-loader.ts alone reads files.)
const CORE_PATTERNS = [
  {
    group: ['kysely', 'pg', '@electric-sql/*', 'fastify', 'fastify-*', '@fastify/*'],
    message: 'core is pure: no database or HTTP.',
  },
];
const floorConfigs = Object.keys(FLOORS).flatMap((folder) => {
  const base = floorPatterns(folder).concat(folder === 'core' ? CORE_PATTERNS : []);
  const rule = (extra) => ['error', { patterns: base.concat(extra) }];
  return [
    {
      files: [`src/${folder}/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: { 'no-restricted-imports': rule([]) },
    },
    { files: [`src/${folder}/**/*.rules.ts`], rules: { 'no-restricted-imports': rule([RULES_PATTERN]) } },
    { files: [`src/${folder}/**/*.event.ts`], rules: { 'no-restricted-imports': rule([EVENT_PATTERN]) } },
  ];
});

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'web/dist',
      '.shebao-data',
      '.tmp',
      'coverage',
      'bin',
      'scripts/*.mjs',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  ...floorConfigs,
  {
    // Migrations are frozen in time: they never import app code.
    files: ['src/db/migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.', message: 'A migration never imports app code (it is frozen in time).' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'bench/**', 'e2e/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
);
