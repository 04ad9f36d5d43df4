/**
 * The dev server's request log, with the simulator reduced to its trace drains: a drain takes the
 * events recorded in workerd when it starts and hands them to the log's sink when it ends, and the
 * test decides when each ends. (The log's whole path through a real server is in tutorial.test.ts
 * and load.test.ts.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RequestLog } from "../../src/dev/request-log.js";
import type { Simulator } from "../../src/runtime/simulator.js";
import type { TraceEvent } from "../../src/runtime/workers/protocol.js";

const ORIGIN = "http://hello.example";

function fetchEvent(url: string, versionId: string): TraceEvent {
  return {
    EventTimestampMs: 0,
    EventType: "fetch",
    Outcome: "ok",
    ScriptName: "hello",
    ScriptVersion: { id: versionId, message: "", tag: "" },
    Exceptions: [],
    Logs: [],
    Event: { Request: { Method: "GET", URL: url } },
    Seq: 0,
  };
}

/**
 * A log whose simulator drains like workerd: a drain takes the events recorded when it starts,
 * waits for `drainEnds` (a test's gate), then hands them to the log.
 */
function logWith(dir: string, drainEnds: () => Promise<void>): { log: RequestLog; record: (event: TraceEvent) => void; lines: string[]; drains: () => number } {
  let recorded: TraceEvent[] = [];
  let drains = 0;
  const lines: string[] = [];
  const sim = {
    flushTraces: async () => {
      drains++;
      const taken = recorded;
      recorded = [];
      await drainEnds();
      log.sink(taken);
    },
  } as unknown as Simulator;
  const log = new RequestLog({ sim, write: (line) => lines.push(line), traceFile: path.join(dir, "trace.ndjson"), shared: (task) => task(), resetCursor: 0 });
  return { log, record: (event) => recorded.push(event), lines, drains: () => drains };
}

/** Runs a GET of `name` that the version `versionId` serves, and finishes it in the log. */
function request(subject: ReturnType<typeof logWith>, name: string, versionId: string): void {
  const ticket = subject.log.begin();
  subject.record(fetchEvent(`${ORIGIN}/${name}`, versionId));
  void subject.log.finish(ticket, { method: "GET", url: `${ORIGIN}/${name}`, status: 200, elapsedMs: 1 });
}

describe("the dev server's request log", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "dosim-request-log-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("drains again for a request that finished while a drain was under way", async () => {
    const held: Array<() => void> = [];
    const subject = logWith(dir, () => (subject.drains() === 1 ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve()));
    // The first request's line starts a drain, which is held.
    request(subject, "first", "11111111-aaaa");
    await expect.poll(() => held.length).toBe(1);
    // The second request runs and finishes while that drain is under way: its events are not in it.
    request(subject, "second", "22222222-bbbb");
    held[0]!();
    await subject.log.drained();
    expect(subject.lines).toEqual(["GET /first 200 version=11111111 1ms", "GET /second 200 version=22222222 1ms"]);
    expect(subject.drains()).toBe(2);
  });

  it("serves every line queued before a drain began with that one drain", async () => {
    const subject = logWith(dir, () => Promise.resolve());
    for (const name of ["a", "b", "c"]) request(subject, name, `${name.repeat(8)}-0000`);
    await subject.log.drained();
    expect(subject.lines).toEqual(["GET /a 200 version=aaaaaaaa 1ms", "GET /b 200 version=bbbbbbbb 1ms", "GET /c 200 version=cccccccc 1ms"]);
    expect(subject.drains()).toBe(1);
  });
});
