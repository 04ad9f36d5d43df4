/**
 * WebSockets through `dosim dev`, with a real client (the `ws` package): an upgrade reaches the
 * Durable Object through the dev server, messages go both ways, and a deployment that resets the
 * object closes its sockets, hibernatable or not, as the platform does (src/model/socket-close.ts).
 * The server runs in this process, and the verbs are their functions: the subject is the sockets.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import type { IncomingMessage } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { clientFor } from "../../src/cli/account-client.js";
import { versionsDeploy } from "../../src/cli/commands/versions-deploy.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { resetSocketClose } from "../../src/model/socket-close.js";
import { makeProjectDir } from "../helpers/project-dir.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { captureIo, startDevInProcess, type DevServerHandle } from "./helpers.js";

/** A connected client that keeps every message and its close. */
interface Client {
  readonly socket: WebSocket;
  readonly messages: string[];
  /** The next message (one already received is returned at once). */
  next(): Promise<string>;
  readonly closed: Promise<{ code: number; reason: string }>;
}

async function connect(url: string): Promise<Client> {
  const socket = new WebSocket(url);
  const messages: string[] = [];
  let read = 0;
  let waiting: (() => void) | undefined;
  socket.on("message", (data) => {
    messages.push(String(data));
    waiting?.();
  });
  const closed = once(socket, "close").then(([code, reason]) => ({ code: code as number, reason: String(reason) }));
  await once(socket, "open");
  const next = async (): Promise<string> => {
    while (read >= messages.length) await new Promise<void>((resolve) => (waiting = resolve));
    return messages[read++]!;
  };
  return { socket, messages, next, closed };
}

describe("WebSockets through dosim dev", () => {
  let dir: string;
  let dev: DevServerHandle;
  beforeAll(async () => {
    // Under the repository's build cache (test/helpers/project-dir.ts): the builds of both
    // versions are made once, not in every run, and the first is shared with other copies.
    dir = makeProjectDir("dosim-dev-ws-");
    cpSync(path.join(REPO_ROOT, "test/fixtures/workers/kv-alarm"), dir, { recursive: true });
    dev = await startDevInProcess(dir);
  });
  afterAll(async () => {
    await dev?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("relays messages both ways, then a reset closes both kinds of socket", async () => {
    // B is uploaded first (an upload may restart workerd), so that the deployment below only resets.
    const config = path.join(dir, "wrangler.jsonc");
    writeFileSync(config, readFileSync(config, "utf8").replace('"src/a.js"', '"src/b.js"'));
    const client = clientFor(dev.record);
    await versionsUpload(client, { config, tag: "b" }, captureIo());

    const base = dev.url.replace(/^http/, "ws");
    const hibernatable = await connect(`${base}/lobby/socket`);
    const standard = await connect(`${base}/lobby/plain-socket`);
    hibernatable.socket.send("hello");
    standard.socket.send("there");
    expect(await hibernatable.next()).toBe("a:hello");
    expect(await standard.next()).toBe("a:there");

    const deployed = captureIo();
    await versionsDeploy(client, [], { versionTag: ["b"], yes: true, durableObjectsCodeUpdateMode: "immediate" }, deployed);
    expect(deployed.text()).toMatch(/1 reset/);

    expect(await hibernatable.closed).toEqual(resetSocketClose());
    expect(await standard.closed).toEqual(resetSocketClose());
    const again = await connect(`${base}/lobby/socket`);
    again.socket.send("back");
    expect(await again.next()).toBe("b:back");
    again.socket.close(1000, "done");
    expect(await again.closed).toEqual({ code: 1000, reason: "done" });
  });

  it("answers a refused upgrade with the Worker's own response", async () => {
    // The Worker answers this path with JSON, not a socket: the client gets that answer as it is.
    const refused = new WebSocket(`${dev.url.replace(/^http/, "ws")}/lobby`);
    refused.on("error", () => undefined);
    const [, response] = (await once(refused, "unexpected-response")) as [unknown, IncomingMessage];
    expect(response.statusCode).toBe(200);
    let body = "";
    for await (const chunk of response) body += String(chunk);
    expect((JSON.parse(body) as { release: string }).release).toBe("b");
  });
});
