import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // The pure core: no AWS, no CDK, no wall clock, no global randomness (DESIGN.md).
    files: ['models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', '@middy/*',
          '@aws-lambda-powertools/*', '../../lambdas/*', '../../lib/*', '../../scripts/*'],
      }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Pass a seeded rng instead.' },
        { object: 'Date', property: 'now', message: 'Pass the clock value in.' }],
    },
  },
);
