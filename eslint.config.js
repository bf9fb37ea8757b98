// Lint rules: typescript-eslint's recommended set, with the few project conventions that a
// reviewer would otherwise have to repeat by hand. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'results/', 'baselines/', 'test/fixtures/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // One owner per concept (docs/architecture.md "Layers"): the A/B arm is defined once, in the A/B model.
    files: ['src/**/*.ts'],
    ignores: ['src/contracts/ab.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSTypeAliasDeclaration[id.name="Arm"], TSInterfaceDeclaration[id.name="Arm"], TSEnumDeclaration[id.name="Arm"]',
          message: 'The A/B arm is defined once, in src/contracts/ab.ts: import it from there.',
        },
      ],
    },
  },
  {
    // Plain CommonJS fixtures that tests fork as child processes.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
