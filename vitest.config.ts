import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Miniflare copies every certificate of NODE_EXTRA_CA_CERTS into each workerd config it writes (its
// outbound trust store), and machines that point it at the system bundle (~140 certificates) make
// every workerd start of the suite serialise and load them: no test makes an outbound TLS call, so
// the suite runs without, the same on every machine. Set here, before any worker or child starts.
delete process.env.NODE_EXTRA_CA_CERTS;

/** Test workers: one more than the machine has cores (see poolOptions). */
const FORKS = availableParallelism() + 1;

/**
 * Sized for a busy 2-core machine as much as for a fast one: the suite's weight is in tests that
 * boot workerd or run the built CLI, which wait on other processes rather than on the test's own
 * thread, so what matters is that nothing in the runner gives up while the machine is slow.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CLI tests run the built binary: build once before any test file starts. The run's shared
    // folder holds what several files need and one makes (test/helpers/shared-run.ts).
    globalSetup: ["test/setup/build.ts", "test/setup/scratch.ts"],
    // Child processes, not threads: workerd and the CLI are child processes of each test worker,
    // and a process per worker keeps one worker's native handles and signals away from the others.
    pool: "forks",
    poolOptions: {
      forks: {
        // One worker more than cores. A test worker mostly waits on its child processes (workerd,
        // the built CLI, wrangler): a CPU profile of one over a whole run found it idle three
        // quarters of the time, so with a worker per core the cores sat idle while both waited.
        maxForks: FORKS,
        // Never fewer kept than run. tinypool retires a worker that goes idle while more than
        // minForks are alive, and the retired worker's answer to its teardown makes it "available"
        // again, so it is retired a second time: that teardown is rejected by the first one's
        // termination, an unhandled "Terminating worker thread" that fails a run whose tests all
        // passed (seen with 4 workers and minForks 1; with 2 workers only 1 was ever above it).
        minForks: FORKS,
        // Test files share a worker's module cache: miniflare, wrangler and esbuild load once per
        // worker instead of once per file (their import was the largest cost of small files).
        // Files must not leave state behind them, which the tests keep to: every simulator,
        // server and temporary folder is closed or removed by the file that made it.
        isolate: false,
      },
    },
    // A worker's calls to the main process (onTaskUpdate, console output) time out after 60 s,
    // fixed in vitest 3.2 (its worker RPC has no timeout option): a test must never hold its
    // worker's event loop that long, so tests run child processes asynchronously, never with
    // spawnSync/execFileSync, and print nothing they do not need to.
    // Timeouts catch hangs, not slowness: on a 2-core machine shared with other heavy work, one
    // replay of every shipped scenario took over 2.5 minutes of wall time. A test that hangs still
    // fails, after 10 minutes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    teardownTimeout: 60_000,
  },
});
