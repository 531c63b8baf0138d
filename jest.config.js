/** Jest in ESM mode: Nest 12 is ESM-only. Run through `npm test`. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/workflows', '<rootDir>/config', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  // Several tests start service processes, PostgreSQL clusters or Chromium; on a busy CI machine that takes minutes.
  testTimeout: 180_000,
};
