const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');
const tseslint = require('typescript-eslint');
const globals = require('globals');

/**
 * Lightning Web Components: Salesforce's recommended LWC rules (LWC, Lightning platform restrictions, security).
 * TypeScript services and tooling: typescript-eslint's recommended rules.
 */
module.exports = [
  {
    ignores: [
      '**/node_modules/**',
      'coverage/**',
      'artifacts/**',
      'services/*/dist/**',
      '.sf/**',
      '.sfdx/**',
      'scripts/check/fixtures/**',
      'force-app/**/staticresources/**'
    ]
  },
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: ['force-app/**/lwc/**/*.js'] })),
  {
    files: ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'],
    ...jestPlugin.configs['flat/recommended'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } }
  },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['services/**/*.ts', 'scripts/**/*.ts'] })),
  {
    files: ['services/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['*.js', 'scripts/**/*.{js,mjs,cjs}', 'services/**/*.js'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' }
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node, sourceType: 'module' }
  }
];
