/**
 * `dosim dev` on each real-Worker fixture, as a user runs it from the project's folder: started
 * with no flags (the config found as wrangler finds it), answering curl-style requests, with the
 * verbs working from the same folder with no flags, and WebSockets where the Worker has them.
 */
import { cpSync, rmSync } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import WebSocket from "ws";
import { makeProjectDir } from "../helpers/project-dir.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { dosim, get, startDev } from "./helpers.js";

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
  it.each(FIXTURES)("$name: serves requests, and the verbs find the server and the config ($config)", async ({ name, path: route }) => {
    const dir = copyFixture(name);
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const server = await startDev(dir);
    onTestFinished(() => server.stop());
    for (let i = 0; i < 3; i++) {
      const answer = await get(`${server.url}${route}`);
      expect(answer.status, answer.text).toBe(200);
    }
    const listed = await dosim(dir, ["versions", "list", "--json"]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toHaveLength(1);
    const upload = await dosim(dir, ["versions", "upload", "--tag", "b"]);
    expect(upload.status, upload.stderr).toBe(0);
    const id = /Worker Version ID: (\S+)/.exec(upload.stdout)![1]!;
    const deploy = await dosim(dir, ["versions", "deploy", `${id}@100`, "--yes"]);
    expect(deploy.status, deploy.stderr).toBe(0);
    const after = await get(`${server.url}${route}`);
    expect(after.status, after.text).toBe(200);
    const status = await dosim(dir, ["deployments", "status", "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ versions: [{ version_id: id, percentage: 100 }] });
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
