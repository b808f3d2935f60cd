import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The architecture, enforced by the linter rather than by hope (docs/architecture.md).
const OUTSIDE_THE_CORE = [
  '@aws-sdk/*',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
  '@middy/*',
  '@aws-lambda-powertools/*',
  '**/lambdas/**',
  '**/lib/**',
  '**/cli/**',
  '**/scripts/**',
  '**/test/**',
];
const FILES = ['node:fs', 'node:fs/*', 'fs', 'fs/*'];

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', '.venv/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // The pure core: no AWS, no CDK, no files, no wall clock, no global randomness.
    files: ['models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...OUTSIDE_THE_CORE, ...FILES] }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Pass a seeded rng instead.' },
        { object: 'Date', property: 'now', message: 'Pass the clock value in.' },
      ],
    },
  },
  {
    // The production decision knows nothing of the simulator or the experiment: they import it.
    files: ['models/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...OUTSIDE_THE_CORE, ...FILES, '**/fleet/**', '**/experiment/**'] },
      ],
    },
  },
  {
    // The simulator replays policy data; it never reaches into the experiment built on it.
    files: ['models/fleet/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...OUTSIDE_THE_CORE, ...FILES, '**/experiment/**'] }],
    },
  },
  {
    // The product (CLI, Lambdas, constructs) never depends on developer tooling or tests.
    files: ['cli/**/*.ts', 'lambdas/**/*.ts', 'lib/**/*.ts', 'bin/**/*.js'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/scripts/**', '**/test/**'] }],
    },
  },
);
