/**
 * Jest in ESM mode with @swc/jest (fast transpile; decorators and their metadata on). Type checking
 * is `npm run typecheck`. Unit tests sit next to their code (`*.test.ts`); cross-component and
 * real-client suites live in `test/`.
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
      },
    ],
  },
  setupFiles: ['<rootDir>/test/setup-polyfills.ts'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  watchPathIgnorePatterns: ['<rootDir>/\\.kuberx/'],
  // A hang guard, not a timing target: suites that start servers, kubectl or etcd can take tens of
  // seconds on a loaded 2-core CI machine.
  testTimeout: 60_000,
  // Both cores: many suites wait on child processes (kubectl, etcd, the kuberx binary).
  maxWorkers: 2,
};
