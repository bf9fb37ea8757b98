import { defineConfig } from 'vitest/config';

// Docker-backed suites share one engine and two cores: running files in parallel makes their
// timing-sensitive assertions (rates, duty cycles) flaky, so files run one at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Stops a Docker engine that a suite had to start (test/support/docker.ts), once all have run.
    globalSetup: ['test/support/docker-engine.global.ts'],
    // Tests talk to loopback only: never let the Google auth library probe the GCE metadata server.
    env: { METADATA_SERVER_DETECTION: 'none' },
  },
});
