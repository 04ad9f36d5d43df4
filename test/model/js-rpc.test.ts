/**
 * JS RPC's compatibility rule, from workerd's src/workerd/io/compatibility-date.capnp (`jsRpc`:
 * enable flag `rpc`, disable flag `no_rpc`, enable date 2024-04-03) and Cloudflare's
 * compatibility-flags docs ("JavaScript-native RPC").
 */
import { describe, expect, it } from "vitest";
import { hasJsRpc } from "../../src/model/js-rpc.js";

describe("hasJsRpc", () => {
  it("is on from 2024-04-03", () => {
    expect(hasJsRpc("2024-04-02", [])).toBe(false);
    expect(hasJsRpc("2024-04-03", [])).toBe(true);
    expect(hasJsRpc("2026-04-01", [])).toBe(true);
  });
  it("follows the rpc and no_rpc flags", () => {
    expect(hasJsRpc("2024-01-01", ["rpc"])).toBe(true);
    expect(hasJsRpc("2026-04-01", ["no_rpc"])).toBe(false);
  });
});
