/**
 * `dosim dev` on each real-Worker fixture, as a user runs it from the project's folder: started
 * with no flags (the config found as wrangler finds it), answering curl-style requests, with the
 * verbs working from the same folder with no flags, and WebSockets where the Worker has them.
 * The first fixture runs all of it as users do: `dosim dev` and every verb as the binary, which
 * finds the server and the config from the folder. For the others, the server runs in this
 * process and the verbs are their functions against it, with the config found from the folder by
 * the function the binaries use (a Node process per server or verb costs more than the rest of
 * the check).
 */
import { cpSync, rmSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import WebSocket from "ws";
import { resolveWranglerConfig } from "../../src/build/find-config.js";
import { clientFor } from "../../src/cli/account-client.js";
import { deploymentsStatus } from "../../src/cli/commands/deployments-status.js";
import { versionsDeploy } from "../../src/cli/commands/versions-deploy.js";
import { versionsList } from "../../src/cli/commands/versions-list.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { makeProjectDir } from "../helpers/project-dir.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { captureIo, dosim, get, startDev, startDevInProcess } from "./helpers.js";

/** Each fixture, a path its Worker answers 200, and the config wrangler would find. */
const FIXTURES = [
  { name: "sqlite-rpc", path: "/alice", config: "wrangler.json" },
  { name: "kv-alarm", path: "/kitchen", config: "wrangler.jsonc" },
  { name: "classic-html", path: "/rooms/lobby", config: "wrangler.toml" },
  { name: "two-classes", path: "/kitchen/ada", config: "wrangler.toml" },
  { name: "build-step", path: "/alice", config: "wrangler.toml" },
] as const;

/** A copy of the fixture in a temporary folder (its build output included, as a checkout has it). */
function copyFixture(name: string): string {
  const dir = makeProjectDir(`dosim-fixture-${name}-`);
  cpSync(path.join(REPO_ROOT, "test/fixtures/workers", name), dir, { recursive: true });
  return dir;
}

describe("dosim dev on each real-Worker fixture, from its folder, with no flags", () => {
  it.each(FIXTURES)("$name: serves requests, and the verbs find the server and the config ($config)", async ({ name, path: route, config }) => {
    const dir = copyFixture(name);
    expect(resolveWranglerConfig(undefined, dir)).toBe(path.join(dir, config));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const binary = name === FIXTURES[0].name;
    const server = binary ? await startDev(dir) : await startDevInProcess(dir);
    onTestFinished(() => server.stop());
    for (let i = 0; i < 3; i++) {
      const answer = await get(`${server.url}${route}`);
      expect(answer.status, answer.text).toBe(200);
    }
    // A verb, as the binary from the folder (exit 0 and stdout) or as its function in this process (stdout).
    const client = clientFor(server.record);
    const verb = async (args: string[], task: (io: ReturnType<typeof captureIo>) => Promise<unknown>): Promise<string> => {
      if (binary) {
        const run = await dosim(dir, args);
        expect(run.status, run.stderr).toBe(0);
        return run.stdout;
      }
      const io = captureIo();
      await task(io);
      return io.text();
    };
    const listed = await verb(["versions", "list", "--json"], (io) => versionsList(client, { json: true }, io));
    expect(JSON.parse(listed)).toHaveLength(1);
    const upload = await verb(["versions", "upload", "--tag", "b"], (io) => versionsUpload(client, { config: resolveWranglerConfig(undefined, dir), tag: "b" }, io));
    const id = /Worker Version ID: (\S+)/.exec(upload)![1]!;
    await verb(["versions", "deploy", `${id}@100`, "--yes"], (io) => versionsDeploy(client, [`${id}@100`], { yes: true }, io));
    const after = await get(`${server.url}${route}`);
    expect(after.status, after.text).toBe(200);
    const status = await verb(["deployments", "status", "--json"], (io) => deploymentsStatus(client, { json: true }, io));
    expect(JSON.parse(status)).toMatchObject({ versions: [{ version_id: id, percentage: 100 }] });
    if (name !== "kv-alarm") return;
    // The Worker's hibernatable socket, through the dev server, with a real client.
    const socket = new WebSocket(`${server.url.replace("http:", "ws:")}/kitchen/socket`);
    await once(socket, "open");
    const message = once(socket, "message");
    socket.send("hello");
    expect(String((await message)[0])).toBe("a:hello");
    socket.close();
    await once(socket, "close");
  });
});
