import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { graceEndsAtMs, inFlightFate, SHUTDOWN_GRACE_MS } from "../../src/model/shutdown.js";

// Docs "Lifecycle of a Durable Object", Shutdown behavior: in-flight HTTP requests may finish for
// up to 30 seconds, but one that touches storage meanwhile is stopped at once; WebSocket
// connections are terminated at once; other invocations are treated like HTTP requests. workerd's
// Worker::Actor::shutdown (src/workerd/io/worker.h) breaks storage and lets requests run on.
describe("the shutdown of an instance", () => {
  it("gives in-flight work the docs' 30 seconds", () => {
    expect(SHUTDOWN_GRACE_MS).toBe(30_000);
    expect(graceEndsAtMs(5_000)).toBe(35_000);
  });

  it("lets a request that stays off storage finish within the grace period", () => {
    expect(inFlightFate({ kind: "http", endsAfterMs: 200 })).toEqual({ outcome: "finishes" });
    expect(inFlightFate({ kind: "http", endsAfterMs: 30_000 })).toEqual({ outcome: "finishes" });
    expect(inFlightFate({ kind: "http", endsAfterMs: 100, storageAfterMs: 150 })).toEqual({ outcome: "finishes" });
  });

  it("stops a request at its first storage access", () => {
    expect(inFlightFate({ kind: "http", endsAfterMs: 300, storageAfterMs: 200 })).toEqual({ outcome: "stopped", afterMs: 200, why: "storage" });
    expect(inFlightFate({ kind: "http", storageAfterMs: 0 })).toEqual({ outcome: "stopped", afterMs: 0, why: "storage" });
  });

  it("stops a request still running when the grace period ends", () => {
    expect(inFlightFate({ kind: "http", endsAfterMs: 30_001 })).toEqual({ outcome: "stopped", afterMs: 30_000, why: "grace" });
    expect(inFlightFate({ kind: "http" })).toEqual({ outcome: "stopped", afterMs: 30_000, why: "grace" });
  });

  it("treats alarms and RPC calls like HTTP requests, and terminates WebSockets at once", () => {
    fc.assert(
      fc.property(fc.option(fc.nat(60_000), { nil: undefined }), fc.option(fc.nat(60_000), { nil: undefined }), (endsAfterMs, storageAfterMs) => {
        const work = { ...(endsAfterMs !== undefined && { endsAfterMs }), ...(storageAfterMs !== undefined && { storageAfterMs }) };
        const http = inFlightFate({ kind: "http", ...work });
        expect(inFlightFate({ kind: "alarm", ...work })).toEqual(http);
        expect(inFlightFate({ kind: "rpc", ...work })).toEqual(http);
        expect(inFlightFate({ kind: "websocket", ...work })).toEqual({ outcome: "terminated" });
        // Nothing runs on past the grace period, and nothing touches storage after the shutdown.
        if (http.outcome === "stopped") expect(http.afterMs).toBeLessThanOrEqual(SHUTDOWN_GRACE_MS);
        if (http.outcome === "finishes") expect(storageAfterMs === undefined || (endsAfterMs !== undefined && endsAfterMs <= storageAfterMs)).toBe(true);
      }),
    );
  });
});
