// Lint: typescript-eslint recommended, plus the module boundary (CONVENTIONS §2: a module
// reads another only through its index.ts) and no magic numbers in pure rule files (§10).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const MODULES = ['people', 'regions', 'assessment', 'entitlements', 'supply', 'waitlist', 'care', 'supervision', 'safety', 'community', 'indicators'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.tmp/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  ...[null, ...MODULES].map((own) => {
    const others = MODULES.filter((m) => m !== own);
    return {
      files: own ? [`src/${own}/**/*.ts`] : ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
      ignores: own ? [] : MODULES.map((m) => `src/${m}/**`),
      rules: {
        'no-restricted-imports': ['error', {
          patterns: others.map((m) => ({ regex: `(^|/)src/${m}/(?!(index|wiring)\\.ts$)|^\\.\\./(\\.\\./)*${m}/(?!(index|wiring)\\.ts$)`, message: `import the ${m} module only through its index.ts (or wiring.ts, from the composition root)` })),
        }],
      },
    };
  }),
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^\\.\\./', message: 'src/core is the kernel: it imports nothing else of the project' }] }],
    },
  },
  {
    files: ['src/**/model.ts'],
    ignores: ['src/core/**'],
    rules: { 'no-magic-numbers': ['error', { ignore: [0, 1, -1], ignoreArrayIndexes: true, ignoreDefaultValues: true, enforceConst: false }] },
  },
);
