import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{protocol,models,edge,hub,bench,dashboard}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // A throw-away PostgreSQL cluster for the run: the store's tests run against it too.
    globalSetup: ['hub/test/postgres-global-setup.ts'],
    // Tests that run the real model and real ffmpeg are slow on a 2-core box.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // One file at a time where ONNX Runtime and ffmpeg compete for two cores.
    fileParallelism: true,
    pool: 'forks',
  },
});
