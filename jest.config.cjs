/**
 * Jest: TypeScript (and the ESM-only d3-dsv) transpiled by SWC; type-checking is `npm run typecheck`.
 * PGlite's CommonJS build loads Node built-ins with dynamic import(), which jest's VM refuses without
 * --experimental-vm-modules (and that flag breaks the d3-dsv transform), so SWC rewrites those to require().
 * Tests that spawn the command line run the bundle (dist/cli.cjs), rebuilt once per jest run by the global setup.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(d3-dsv|@electric-sql/pglite)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/support/quiet-sdk-node-warning.ts'],
  globalSetup: '<rootDir>/test/support/build-cli.cjs',
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
