// Two projects: `unit` (pure code, no ports, no timers that matter) and `integration`
// (real processes on 127.0.0.1). Tests import workspace packages from their TypeScript sources.
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@ensemble/(proto|common|coord-client|consensus|linearizability)$': '<rootDir>/packages/$1/src',
    '^@ensemble/(coordination|resource-manager)$': '<rootDir>/services/$1/src',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // Integration tests start real processes; testTimeout is global in jest, not per project.
  testTimeout: 60000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{packages,services}/*/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{packages,services}/*/test/integration/**/*.test.ts', '<rootDir>/test/integration/**/*.test.ts'],
    },
  ],
};
