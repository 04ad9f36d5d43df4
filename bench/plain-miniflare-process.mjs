// The baseline of bench/startup.bench.mjs, run as its own process: plain Miniflare boots one
// Worker with a SQLite Durable Object, serves one request that reaches the object, and exits.
import { Miniflare } from "miniflare";

const WORKER = `
import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  fetch() {
    const count = this.ctx.storage.sql.exec("SELECT 1 AS one").one().one;
    return new Response(String(count));
  }
}
export default {
  fetch(request, env) {
    return env.COUNTER.get(env.COUNTER.idFromName("foo")).fetch(request);
  },
};
`;

const mf = new Miniflare({
  cf: false,
  modules: true,
  script: WORKER,
  compatibilityDate: "2026-04-01",
  durableObjects: { COUNTER: { className: "Counter", useSQLite: true } },
});
const response = await mf.dispatchFetch("http://localhost/objects/foo");
if ((await response.text()) !== "1") throw new Error("the plain Miniflare baseline answered wrongly");
await mf.dispose();
