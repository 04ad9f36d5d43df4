/**
 * Parity with real workerd: ids computed by src/model/object-ids.ts must equal what Miniflare's
 * `idFromName` returns, and each side's `idFromString` must accept the other's unique ids.
 */
import fc from "fast-check";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createObjectIdFactory, defaultUniqueKey } from "../../src/model/object-ids.js";

// The worker does the bulk work itself: one request carries every name. OTHER gets its own class
// because Miniflare makes one namespace per class: two bindings to one class share a unique key.
const script = `
export class Counter {
  async fetch() { return new Response("ok"); }
}
export class OtherCounter extends Counter {}
function check(ns, ids) {
  return ids.map((id) => {
    try { return { ok: true, id: ns.idFromString(id).toString() }; }
    catch (error) { return { ok: false, message: String(error.message) }; }
  });
}
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const ns = pathname.startsWith("/other/") ? env.OTHER : env.COUNTER;
    const op = pathname.replace(/^\\/other/, "");
    if (op === "/ids") return Response.json((await request.json()).map((name) => ns.idFromName(name).toString()));
    if (op === "/unique") return Response.json(Array.from({ length: 5 }, () => ns.newUniqueId().toString()));
    if (op === "/check") return Response.json(check(ns, await request.json()));
    return new Response("not found", { status: 404 });
  },
};
`;

type Checked = { ok: true; id: string } | { ok: false; message: string };

const WORKER_NAME = "parity";
const CUSTOM_KEY = "dosim-custom-unique-key";

/** 1,000 names from a fixed seed, plus the awkward ones: empty, long, broken UTF-16. */
function sampleNames(): string[] {
  const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
  const arbitrary = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: codeUnit, maxLength: 40 }),
    fc.string({ unit: "grapheme", minLength: 20, maxLength: 120 }),
  );
  const fixed = ["", "foo", "bar", "baz", "a".repeat(55), "a".repeat(56), "x".repeat(5000), "\ud800", "a\udc00b", "😀"];
  return [...fixed, ...fc.sample(arbitrary, { numRuns: 1000 - fixed.length, seed: 20260426 })];
}

describe("object ids match workerd", () => {
  let mf: Miniflare;
  const post = async (path: string, body?: unknown): Promise<unknown> => {
    const init = body === undefined ? {} : { method: "POST", body: JSON.stringify(body) };
    const response = await mf.dispatchFetch(`http://localhost${path}`, init);
    expect(response.status).toBe(200);
    return response.json();
  };
  const ours = createObjectIdFactory(defaultUniqueKey(WORKER_NAME, "Counter"));
  const custom = createObjectIdFactory(CUSTOM_KEY);

  beforeAll(async () => {
    mf = new Miniflare({
      name: WORKER_NAME,
      cf: false,
      modules: true,
      script,
      durableObjects: { COUNTER: "Counter", OTHER: { className: "OtherCounter", unsafeUniqueKey: CUSTOM_KEY } },
    });
    await mf.ready;
  });
  afterAll(async () => {
    await mf?.dispose();
  });

  it("idFromName: 1,000 names, default and custom unique keys", async () => {
    const names = sampleNames();
    expect(names).toHaveLength(1000);
    // Enough names with a lone surrogate to pin down how workerd encodes them (WTF-8, not U+FFFD).
    expect(names.filter((name) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name)).length).toBeGreaterThan(20);
    const theirs = (await post("/ids", names)) as string[];
    expect(theirs).toEqual(names.map((name) => ours.idFromName(name)));
    const theirsCustom = (await post("/other/ids", names.slice(0, 100))) as string[];
    expect(theirsCustom).toEqual(names.slice(0, 100).map((name) => custom.idFromName(name)));
  });

  it("our idFromString accepts workerd's newUniqueId ids, only in their own namespace", async () => {
    const unique = (await post("/unique")) as string[];
    expect(new Set(unique).size).toBe(5);
    for (const id of unique) {
      expect(ours.idFromString(id)).toEqual({ ok: true, value: id });
      expect(custom.idFromString(id).ok).toBe(false);
    }
  });

  it("workerd's idFromString accepts our newUniqueId ids and refuses altered or foreign ones", async () => {
    const random = Array.from({ length: 3 }, (_, i) => new Uint8Array(16).map((_, j) => (i * 61 + j * 17) & 0xff));
    const ids = random.map((bytes) => ours.newUniqueId(bytes));
    const tampered = `${ids[0]!.slice(0, 63)}${ids[0]!.endsWith("0") ? "1" : "0"}`;
    const foreign = custom.idFromName("foo");
    const upper = ids[1]!.toUpperCase();
    const checked = (await post("/check", [...ids, upper, tampered, foreign, "abc"])) as Checked[];
    expect(checked.slice(0, 3)).toEqual(ids.map((id) => ({ ok: true, id })));
    // workerd decodes either case and prints lower case; so does the model.
    expect(checked[3]).toEqual({ ok: true, id: ids[1] });
    expect(ours.idFromString(upper)).toEqual({ ok: true, value: ids[1] });
    expect(checked[4]).toMatchObject({ ok: false, message: expect.stringContaining("not valid for this namespace") });
    expect(checked[5]).toMatchObject({ ok: false, message: expect.stringContaining("not valid for this namespace") });
    expect(checked[6]).toMatchObject({ ok: false, message: expect.stringContaining("64 hex digits") });
    for (const bad of [tampered, foreign, "abc"]) expect(ours.idFromString(bad).ok).toBe(false);
    // The same foreign id is fine in its own namespace, on both sides.
    expect(((await post("/other/check", [foreign])) as Checked[])[0]).toEqual({ ok: true, id: foreign });
  });
});
