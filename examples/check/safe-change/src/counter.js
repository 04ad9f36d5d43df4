// A classic Durable Object class (no RPC): POST /counters/<name> adds one, GET reads the count.
// `extra` lets a version add fields to the answer without touching what is stored.
export function counterClass(extra) {
  return class Counter {
    constructor(state) {
      this.state = state;
    }

    async fetch(request) {
      let count = (await this.state.storage.get("count")) ?? 0;
      if (request.method === "POST") await this.state.storage.put("count", ++count);
      return Response.json({ count, ...extra });
    }
  };
}

export default {
  async fetch(request, env) {
    const name = decodeURIComponent(new URL(request.url).pathname.replace(/^\/counters\//, ""));
    return env.COUNTERS.get(env.COUNTERS.idFromName(name)).fetch(request);
  },
};
