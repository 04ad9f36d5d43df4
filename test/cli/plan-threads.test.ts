import { describe, expect, it } from "vitest";
import { runDosim } from "../helpers/run-cli.js";

const ARGS = ["plan", "--objects", "200001", "--namespace", "hello-Counter", "--step", "A@100", "--step", "B@20,A@80", "--step", "A@50,B@50", "--step", "B@100"];

describe("dosim plan on worker threads (built binary)", () => {
  it("prints the same bytes on one thread as on several, as JSON and as the summary", async () => {
    for (const view of [["--json"], []]) {
      const [one, two, three] = await Promise.all(["1", "2", "3"].map((threads) => runDosim([...ARGS, ...view, "--threads", threads])));
      expect(one!.stderr).toBe("");
      expect(one!.stdout.length).toBeGreaterThan(0);
      expect(two!.stdout).toBe(one!.stdout);
      expect(three!.stdout).toBe(one!.stdout);
      expect([two!.status, three!.status]).toEqual([one!.status, one!.status]);
    }
  });

  it("refuses a thread count that is not a whole number from 1", async () => {
    const run = await runDosim([...ARGS, "--threads", "0"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--threads must be a whole number");
  });
});
