/**
 * ctx.exports' compatibility rule, from workerd's src/workerd/io/compatibility-date.capnp
 * (`enableCtxExports`: enable flag `enable_ctx_exports`, disable flag `disable_ctx_exports`, enable
 * date 2025-11-17) and Cloudflare's compatibility-flags docs ("Enable ctx.exports").
 */
import { describe, expect, it } from "vitest";
import { hasCtxExports } from "../../src/model/ctx-exports.js";

describe("hasCtxExports", () => {
  it("is on from 2025-11-17", () => {
    expect(hasCtxExports("2025-11-16", [])).toBe(false);
    expect(hasCtxExports("2025-11-17", [])).toBe(true);
  });
  it("follows the enable_ctx_exports and disable_ctx_exports flags", () => {
    expect(hasCtxExports("2025-06-01", ["enable_ctx_exports"])).toBe(true);
    expect(hasCtxExports("2026-04-01", ["disable_ctx_exports"])).toBe(false);
  });
});
