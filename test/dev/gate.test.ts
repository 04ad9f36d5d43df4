/**
 * The dev server's gate orders account changes, and the clock's ticks with them: a tick waits for
 * a change in progress (a deployment sees one clock throughout), except during an upload, whose
 * seconds of building must become wall time for the objects that keep getting requests meanwhile.
 */
import { describe, expect, it } from "vitest";
import { Gate } from "../../src/dev/gate.js";

/** A promise and the function that settles it. */
function opened(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("the dev server's gate", () => {
  it("runs a tick of the clock after the change in progress", async () => {
    const gate = new Gate();
    const order: string[] = [];
    const deploy = opened();
    const change = gate.change(false, async () => {
      await deploy.promise;
      order.push("deployed");
    });
    const tick = gate.tick(async () => void order.push("tick"));
    await Promise.resolve();
    deploy.open();
    await Promise.all([change, tick]);
    expect(order).toEqual(["deployed", "tick"]);
  });

  it("runs a tick at once while an upload is built", async () => {
    const gate = new Gate();
    const order: string[] = [];
    const build = opened();
    const upload = gate.change(
      false,
      async () => {
        await build.promise;
        order.push("uploaded");
      },
      { ticksMeanwhile: true },
    );
    // Let the upload's turn come, then tick while it builds.
    await new Promise((resolve) => setImmediate(resolve));
    await gate.tick(async () => void order.push("tick"));
    build.open();
    await upload;
    // Once the upload is done, ticks wait for changes again.
    const next = opened();
    const deploy = gate.change(false, () => next.promise.then(() => void order.push("deployed")));
    const tick = gate.tick(async () => void order.push("tick after"));
    next.open();
    await Promise.all([deploy, tick]);
    expect(order).toEqual(["tick", "uploaded", "deployed", "tick after"]);
  });
});
