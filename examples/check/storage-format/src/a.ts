// Version A stores a profile as its display name, a plain string.
import { DurableObject } from "cloudflare:workers";
export { default } from "./worker.js";

export class Profile extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (request.method === "POST") await this.ctx.storage.put("profile", new URL(request.url).searchParams.get("display") ?? "");
    const display = (await this.ctx.storage.get<string>("profile")) ?? "";
    return Response.json({ display: display.toUpperCase() });
  }
}
