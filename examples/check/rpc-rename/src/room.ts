// The Room object and the Worker in front of it; each version picks the RPC methods the object
// offers and the one the Worker calls.
import { DurableObject } from "cloudflare:workers";

/** The members of a room after someone joins it. */
export interface Members {
  readonly members: readonly string[];
}

/** A room: a list of members in storage. Versions expose `add` under the method names they choose. */
export class RoomBase extends DurableObject {
  protected async add(who: string): Promise<Members> {
    const members = [...((await this.ctx.storage.get<string[]>("members")) ?? []), who];
    await this.ctx.storage.put("members", members);
    return { members };
  }
}

/** The Worker: POST /rooms/<name>?who=<member> joins the room by calling `method` over RPC. */
export function worker(method: "join" | "enter"): ExportedHandler<{ ROOMS: DurableObjectNamespace }> {
  return {
    async fetch(request, env) {
      const url = new URL(request.url);
      const name = decodeURIComponent(url.pathname.replace(/^\/rooms\//, ""));
      const room = env.ROOMS.getByName(name) as unknown as Record<typeof method, (who: string) => Promise<Members>>;
      return Response.json(await room[method](url.searchParams.get("who") ?? "guest"));
    },
  };
}
