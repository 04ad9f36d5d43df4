import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests run the built binary: build once before any test file starts.
    globalSetup: ["test/setup/build.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests boot workerd; two cores cannot run many of them at once.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
