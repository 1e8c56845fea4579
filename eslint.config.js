import js from '@eslint/js';
import { readdirSync } from 'node:fs';
import { URL } from 'node:url';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url));

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'migrations/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // A feature reaches another only through its index.ts (its *.tables.ts are shared schema).
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `/(${features.filter((f) => f !== feature).join('|')})/(?!index\\.ts$)(?![a-z-]+\\.tables\\.ts$).+`,
              message: 'Import another feature only through its index.ts.',
            },
          ],
        },
      ],
    },
  })),
  {
    // Pure domain code: no I/O, no clock, no environment.
    files: ['src/**/domain/**/*.ts'],
    ignores: ['src/**/domain/**/*.test.ts'],
    rules: {
      // Listed last, so for domain files it replaces the cross-feature rule (domain code imports no other feature).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'drizzle-orm',
                'drizzle-orm/*',
                'pg',
                '@electric-sql/*',
                'fastify',
                '@fastify/*',
                'node:fs',
                'node:fs/*',
                'nodemailer',
              ],
              message: 'domain/ is pure: no I/O.',
            },
            { group: ['**/*.repository.ts', '**/*.service.ts', '**/*.routes.ts'], message: 'domain/ is pure: no I/O.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass the time in as an argument.' },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Domain code does not read the environment.' }],
    },
  },
);
