/**
 * A bounded load on a running dev server, in this process (a fixed number of requests, no timing assertions):
 * concurrent writes to a few objects while deployments with immediate resets switch between two
 * versions. Every answer is the object's JSON with 200 or the documented reset 503
 * (`durableObjectReset: true`), never an empty 200 or a 502; and each object's stored count is at
 * least its 200s and at most its 200s plus its reset answers (a write caught by a reset may or may
 * not have been committed, as on the platform). Each request log line lists only its own object.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, type AccountClient } from "../../src/cli/account-client.js";
import type { ApiVersion } from "../../src/dev/api-shapes.js";
import { makeProject, removeProject, startDevInProcess, UNCOMPRESSED, type DevServerHandle } from "./helpers.js";

const CLIENTS = 8;
const REQUESTS_PER_CLIENT = 40;
const DEPLOYMENTS = 12;
const OBJECTS = ["a", "b", "c"];

interface Tally {
  ok: number;
  resets: number;
}

describe("dosim dev under load with immediate resets", () => {
  let dir: string;
  let server: DevServerHandle;
  let client: AccountClient;

  beforeAll(async () => {
    dir = makeProject("dosim-load-");
    server = await startDevInProcess(dir, { seed: "load" });
    client = clientFor(server.record);
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  it("answers every request with its object's JSON or the reset 503, and counts add up", async () => {
    const first = (await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items[0]!.id;
    const second = (await client.call<ApiVersion>("POST", "/versions", { body: { config: path.join(dir, "wrangler.toml"), tag: "b" } })).id;
    const tallies = new Map<string, Tally>(OBJECTS.map((name) => [name, { ok: 0, resets: 0 }]));
    const wrong: string[] = [];

    const send = async (name: string): Promise<void> => {
      const response = await fetch(`${server.url}/objects/${name}?wait=2`, { method: "POST", headers: UNCOMPRESSED });
      const text = await response.text();
      const body = JSON.parse(text || "null") as { count?: number; durableObjectReset?: boolean } | null;
      const tally = tallies.get(name)!;
      if (response.status === 200 && typeof body?.count === "number") tally.ok++;
      else if (response.status === 503 && body?.durableObjectReset === true) tally.resets++;
      else wrong.push(`${response.status} ${text.slice(0, 120)}`);
    };
    const traffic = Array.from({ length: CLIENTS }, async (_, index) => {
      for (let request = 0; request < REQUESTS_PER_CLIENT; request++) await send(OBJECTS[(index + request) % OBJECTS.length]!);
    });
    const deployments = (async () => {
      for (let round = 0; round < DEPLOYMENTS; round++) {
        const version = round % 2 === 0 ? second : first;
        await client.call("POST", "/deployments", { body: { versions: [{ version_id: version, percentage: 100 }], code_update: { mode: "immediate" } } });
      }
    })();
    await Promise.all([...traffic, deployments]);

    expect(wrong).toEqual([]);
    let answered = 0;
    for (const name of OBJECTS) {
      const tally = tallies.get(name)!;
      answered += tally.ok + tally.resets;
      const after = (await (await fetch(`${server.url}/objects/${name}`, { method: "POST", headers: UNCOMPRESSED })).json()) as { count: number };
      const stored = after.count - 1;
      expect(stored, name).toBeGreaterThanOrEqual(tally.ok);
      expect(stored, name).toBeLessThanOrEqual(tally.ok + tally.resets);
    }
    expect(answered).toBe(CLIENTS * REQUESTS_PER_CLIENT);

    // The request log: a line names only its own request's object, never another one in flight.
    const lines = server.output().split("\n").filter((line) => line.startsWith("POST /objects/"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const own = /^POST \/objects\/(\w+)/.exec(line)![1];
      for (const [, name] of line.matchAll(/ object=(\w+)@/g)) expect(name, line).toBe(own);
    }
  });
});
