/**
 * WebSockets of a Durable Object in the runtime: hibernatable handlers leave a trace event per
 * invocation (Workers Trace Events' `hibernatable_web_socket`), and an object holding a standard-API
 * socket (`ws.accept()`) cannot hibernate, so on the virtual clock it is evicted after 70–140 s of
 * inactivity rather than hibernated after 10 s (docs "Lifecycle of a Durable Object").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVICT_AFTER_MAX_MS, HIBERNATE_AFTER_MS } from "../../src/model/lifecycle.js";
import { Simulator } from "../../src/runtime/index.js";

const FOLDER = "test/fixtures/workers/kv-alarm";

/** Miniflare's end of a socket a Worker answered with. */
interface WorkerSocket {
  accept(): void;
  send(message: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
}

async function openSocket(sim: Simulator, path: string): Promise<WorkerSocket> {
  const response = await sim.fetch(path, { headers: { Upgrade: "websocket" } });
  expect(response.status).toBe(101);
  const socket = (response as unknown as { webSocket: WorkerSocket }).webSocket;
  socket.accept();
  return socket;
}

function nextMessage(socket: WorkerSocket): Promise<string> {
  return new Promise((resolve) => socket.addEventListener("message", (event) => resolve(String(event.data))));
}

describe("WebSockets of a Durable Object", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await Simulator.start({ config: `${FOLDER}/wrangler.jsonc`, seed: "sockets", versions: [{ label: "A" }] });
  });
  afterAll(() => sim?.close());

  it("traces each hibernatable handler invocation", async () => {
    const socket = await openSocket(sim, "/lobby/socket");
    const answer = nextMessage(socket);
    socket.send("hello");
    expect(await answer).toBe("a:hello");
    const events = (await sim.traces()).filter((event) => event.EventType === "hibernatable_web_socket");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ Outcome: "ok", Event: { WebSocketEventType: "message" }, DurableObject: { Class: "Timer", Id: sim.objectId("lobby") } });
    expect(events[0]!.ScriptVersion.id).toBe(sim.labels.A);
  });

  it("evicts an object holding a standard socket instead of hibernating it", async () => {
    const plain = await openSocket(sim, "/hall/plain-socket");
    const hall = sim.objectId("hall");
    const lobby = sim.objectId("lobby");
    const quiet = await sim.advance(HIBERNATE_AFTER_MS + 1);
    // The lobby (hibernatable socket only) hibernates; the hall stays in memory.
    expect(quiet.ends.map((end) => [end.objectId, end.reason])).toEqual([[lobby, "hibernated"]]);
    expect((await sim.ledger()).objects[hall]).toMatchObject({ live: true, hibernatable: false });
    const later = await sim.advance(EVICT_AFTER_MAX_MS);
    expect(later.ends.map((end) => [end.objectId, end.reason])).toEqual([[hall, "evicted"]]);
    plain.close(1000, "done");
  });
});
