import { describe, expect, it } from "vitest";
import type { Version } from "../../src/model/types.js";
import { buildMiniflareOptions, type HostedVersion, type RunLayout } from "../../src/runtime/options.js";
import { userServiceBindings } from "../../src/runtime/version-options.js";
import { COUNTER_SOURCE } from "./worker-source-fixture.js";

const SOURCE = COUNTER_SOURCE;

function hosted(number: number, routable: boolean): HostedVersion {
  const version: Version = { id: `version-${number}`, number, triggeredBy: "upload", createdAtMs: 0, vars: {}, secrets: {} };
  return { version, source: SOURCE, bundle: { modules: [{ type: "ESModule", path: "version.mjs", contents: "export default {};" }] }, ...(routable ? {} : { routable: false }) };
}

/** A run of `count` versions of which the first `deployed` are named by some deployment. */
function layout(count: number, deployed: number): RunLayout {
  return {
    workerName: "hello",
    versions: Array.from({ length: count }, (_, index) => hosted(index + 1, index < deployed)),
    internal: { edge: "", control: "", router: "", bridge: "" },
    boot: { seed: "s", nowMs: 0, draws: 0, state: { name: "hello", versions: [], deployments: [] } },
  };
}

function worker(options: ReturnType<typeof buildMiniflareOptions>, name: string) {
  const found = (options.workers as { name?: string; durableObjects?: Record<string, unknown>; bindings?: Record<string, unknown> }[]).find((w) => w.name === name);
  if (found === undefined) throw new Error(`no worker ${name}`);
  return found;
}

describe("Miniflare options of a run", () => {
  // The object router holds one namespace per deployed version; the routing bindings reach it
  // through one service binding, so its namespaces appear in the config once, not per version
  // (test/runtime/deployed-scale.test.ts).
  it("gives the routing binding the namespaces of deployed versions only; the control worker keeps all", () => {
    const options = buildMiniflareOptions(layout(50, 2));
    const router = worker(options, "dosim-do-router");
    expect(Object.keys(router.durableObjects!).sort()).toEqual(["CONTROL", "NS_1_Counter", "NS_2_Counter"]);
    expect(Object.keys((router.bindings!.topology as { versions: object }).versions)).toEqual(["version-1", "version-2"]);
    const control = worker(options, "dosim-control");
    expect(Object.keys(control.durableObjects!)).toHaveLength(51);
  });

  it("keeps every version routable by default (a host without a dry run)", () => {
    const all = layout(3, 3);
    const router = worker(buildMiniflareOptions(all), "dosim-do-router");
    expect(Object.keys(router.durableObjects!)).toHaveLength(4);
  });
});

describe("a version's service bindings", () => {
  // workerd refuses to start a worker whose binding names a service it lacks
  // (workerd/server/server.c++), and dosim runs one Worker: a binding to another Worker reaches
  // dosim's outside service, which fails each request and call as wrangler dev does for a Worker
  // that is not running (miniflare's dev-registry proxy).
  it("sends a binding to another Worker to the outside service, with the names it reports", () => {
    const source = { ...SOURCE, passthroughOptions: { serviceBindings: { BILLING: "billing", AUTH: { name: "auth", entrypoint: "Sessions" } } } };
    expect(userServiceBindings(source, "hello", "hello--v1")).toEqual({
      BILLING: { name: "dosim-bridge", entrypoint: "DosimOutsideService", props: { service: "billing", binding: "BILLING", worker: "hello" } },
      AUTH: { name: "dosim-bridge", entrypoint: "DosimOutsideService", props: { service: "auth", binding: "AUTH", worker: "hello" } },
    });
  });

  it("sends a binding to the Worker itself to the version worker it is given, keeping its entrypoint", () => {
    const source = { ...SOURCE, passthroughOptions: { serviceBindings: { SELF: { name: "hello" }, API: { name: "hello", entrypoint: "Api" } } } };
    expect(userServiceBindings(source, "hello", "hello--slot-2")).toEqual({ SELF: { name: "hello--slot-2" }, API: { name: "hello--slot-2", entrypoint: "Api" } });
  });

  it("leaves a designator that names no Worker as wrangler gave it", () => {
    const external = { external: { address: "127.0.0.1:1", http: {} } };
    expect(userServiceBindings({ ...SOURCE, passthroughOptions: { serviceBindings: { EXT: external } } }, "hello", "hello--v1")).toEqual({ EXT: external });
  });
});

describe("bindings to other Workers' Durable Object classes", () => {
  const chat = { ...SOURCE, passthroughOptions: { durableObjects: { CHAT: { className: "ChatRoom", scriptName: "chat" }, MAIL: { className: "Inbox", scriptName: "mail" } } } };

  it("reach one stand-in class each in dosim's outside worker, under the other Worker's unique key", () => {
    const run: RunLayout = { ...layout(2, 2), versions: [{ ...hosted(1, true), source: chat }, hosted(2, true)] };
    const options = buildMiniflareOptions(run);
    expect(worker(options, "hello--v1").durableObjects).toMatchObject({
      CHAT: { className: "DosimOutside0", scriptName: "dosim-outside", unsafeUniqueKey: "chat-ChatRoom" },
      MAIL: { className: "DosimOutside1", scriptName: "dosim-outside", unsafeUniqueKey: "mail-Inbox" },
    });
    expect(worker(options, "hello--v2").durableObjects).not.toHaveProperty("CHAT");
    const outside = worker(options, "dosim-outside") as { modules?: { path: string; contents: string }[] };
    expect(outside.modules![0]!.contents).toContain('export const DosimOutside0 = outsideObjectClass("Worker \\"chat\\" not found: dosim runs only \\"hello\\", so its Durable Object class ChatRoom is not running.");');
  });

  it("leave the outside worker out of a run without them", () => {
    expect((buildMiniflareOptions(layout(2, 2)).workers as { name?: string }[]).map((entry) => entry.name)).not.toContain("dosim-outside");
  });
});
