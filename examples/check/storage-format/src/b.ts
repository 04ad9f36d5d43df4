// Version B stores a profile as an object with a format number, and still reads A's strings.
import { DurableObject } from "cloudflare:workers";
export { default } from "./worker.js";

interface StoredProfile {
  readonly format: 2;
  readonly display: string;
}

export class Profile extends DurableObject {
  async fetch(request: Request): Promise<Response> {
    if (request.method === "POST") {
      const stored: StoredProfile = { format: 2, display: new URL(request.url).searchParams.get("display") ?? "" };
      await this.ctx.storage.put("profile", stored);
    }
    const stored = await this.ctx.storage.get<string | StoredProfile>("profile");
    const profile = typeof stored === "string" ? { format: 2, display: stored } : (stored ?? { format: 2, display: "" });
    return Response.json({ display: profile.display.toUpperCase() });
  }
}
