/**
 * Request bodies through the dev server stream: each chunk is passed on as it arrives, and a body
 * without a Content-Length is counted against the platform's 100 MB limit (Cloudflare Workers
 * limits, "Request limits") as it streams. Real HTTP on a loopback server, real chunked uploads.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyTooLarge, streamBody } from "../../src/dev/http-io.js";
import { MAX_REQUEST_BODY_BYTES } from "../../src/model/request-limits.js";

/** What the server saw of one upload. */
interface Seen {
  readonly firstChunk: Promise<Uint8Array>;
  readonly outcome: Promise<{ bytes: number } | { error: unknown; tooLarge: boolean }>;
}

describe("streamBody", () => {
  let server: Server;
  let port: number;
  const uploads: Seen[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const { body, tooLarge } = streamBody(req);
      const reader = body.getReader();
      let resolveFirst!: (chunk: Uint8Array) => void;
      const firstChunk = new Promise<Uint8Array>((resolve) => (resolveFirst = resolve));
      const outcome = (async () => {
        let bytes = 0;
        try {
          for (let read = await reader.read(); !read.done; read = await reader.read()) {
            if (bytes === 0) resolveFirst(read.value);
            bytes += read.value.length;
          }
          return { bytes };
        } catch (error) {
          return { error, tooLarge: tooLarge() };
        } finally {
          res.end();
        }
      })();
      uploads.push({ firstChunk, outcome });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function upload(): ReturnType<typeof request> {
    const client = request({ port, host: "127.0.0.1", method: "POST", path: "/", headers: { "transfer-encoding": "chunked" } });
    client.on("error", () => undefined);
    client.on("response", (response) => response.resume());
    return client;
  }

  it("passes the first chunk on before the upload ends", async () => {
    const client = upload();
    client.write("first");
    while (uploads.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const seen = uploads[uploads.length - 1]!;
    expect(new TextDecoder().decode(await seen.firstChunk)).toBe("first");
    client.end("last");
    expect(await seen.outcome).toEqual({ bytes: 9 });
  });

  it("fails a chunked body past 100 MB while it streams", async () => {
    const before = uploads.length;
    const client = upload();
    const chunk = Buffer.alloc(1024 * 1024, 1);
    for (let sent = 0; sent <= MAX_REQUEST_BODY_BYTES; sent += chunk.length) {
      if (!client.write(chunk)) await new Promise((resolve) => client.once("drain", resolve));
      if (uploads.length > before && (await Promise.race([uploads[before]!.outcome.then(() => true), Promise.resolve(false)]))) break;
    }
    client.end();
    const outcome = await uploads[before]!.outcome;
    expect(outcome).toMatchObject({ tooLarge: true });
    expect((outcome as { error: unknown }).error).toBeInstanceOf(BodyTooLarge);
  });
});
