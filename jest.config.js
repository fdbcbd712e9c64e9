const { jestConfig: lwcJestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/**
 * Two jest projects: Lightning Web Components (through sfdx-lwc-jest, in jsdom, with @sa11y/jest's
 * toBeAccessible matcher) and the TypeScript services and tooling (through ts-jest, in node).
 * Fixtures under scripts/check/fixtures hold planted defects for the gates' own tests and never run here.
 */
module.exports = {
  projects: [
    {
      ...lwcJestConfig,
      displayName: 'lwc',
      rootDir: __dirname,
      roots: ['<rootDir>/force-app'],
      testMatch: ['**/lwc/**/__tests__/**/*.test.js'],
      setupFilesAfterEnv: [...(lwcJestConfig.setupFilesAfterEnv || []), '<rootDir>/force-app/test/jest-setup.js'],
      moduleNameMapper: { '^test/jest-utils/(.*)$': '<rootDir>/force-app/test/jest-utils/$1' },
      testPathIgnorePatterns: ['/node_modules/', '/scripts/check/fixtures/']
    },
    {
      displayName: 'node',
      rootDir: __dirname,
      roots: ['<rootDir>/services', '<rootDir>/scripts'],
      testEnvironment: 'node',
      testMatch: ['**/*.test.ts'],
      setupFiles: ['<rootDir>/scripts/jest-node-setup.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/scripts/check/fixtures/'],
      transform: {
        '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }]
      }
    }
  ]
};
