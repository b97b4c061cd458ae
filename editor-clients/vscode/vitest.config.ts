import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The server test starts the real `refract serve`; run it with `npm run test:server`.
    exclude: process.env.REFRACT_SERVER_TEST ? [] : ['test/server.integration.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
  },
});
