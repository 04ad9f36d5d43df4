/**
 * kill -9: a dev server killed mid-life leaves its record and its workerd behind; the next server
 * on the same state directory stops that workerd (two processes on one storage would corrupt it)
 * and comes back with the same versions, deployments, objects, storage and readable traces. The
 * killed server is a `dosim dev` process; the next one runs in this process, as the subject is
 * what it finds and restores, not how it was started.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor } from "../../src/cli/account-client.js";
import { versionsDeploy } from "../../src/cli/commands/versions-deploy.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { processAlive, readServerRecord } from "../../src/dev/state-dir.js";
import { get, makeProject, removeProject, startDev, startDevInProcess, type DevProcess, type DevServerHandle } from "./helpers.js";

const quiet = { out: () => undefined };

describe("after kill -9", () => {
  let dir: string;
  let killed: DevProcess;
  let server: DevServerHandle;
  beforeAll(async () => {
    dir = makeProject("dosim-crash-");
    server = killed = await startDev(dir, ["--seed", "crash"]);
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  it("comes back with everything, and stops the workerd the killed server left", async () => {
    const client = clientFor(server.record);
    const first = (await client.call<{ items: { id: string }[] }>("GET", "/versions")).items[0]!.id;
    const uploaded = await versionsUpload(client, { config: path.join(dir, "wrangler.toml"), tag: "b", var: ["GREETING:Howdy"] }, quiet);
    // wrangler's shorthand: the version without a percentage takes the rest.
    await versionsDeploy(client, [`${uploaded.id}@50`, first], { yes: true }, quiet);
    for (const name of ["foo", "bar", "baz"]) expect((await get(`${server.url}/objects/${name}`)).status).toBe(200);
    const foo = JSON.parse((await get(`${server.url}/objects/foo`)).text) as { count: number };
    const before = await Promise.all([client.call("GET", "/versions"), client.call("GET", "/deployments"), client.call("GET", "/objects")]);

    const orphans = readServerRecord(path.join(dir, ".dosim"))!.childPids;
    expect(orphans.length).toBeGreaterThan(0);
    await killed.kill9();
    expect(orphans.some(processAlive)).toBe(true);

    server = await startDevInProcess(dir);
    expect(server.output()).toMatch(/stopped \d+ workerd process\(es\) left by a server that was killed/);
    expect(orphans.some(processAlive)).toBe(false);
    const restarted = clientFor(server.record);
    const after = await Promise.all([restarted.call("GET", "/versions"), restarted.call("GET", "/deployments"), restarted.call("GET", "/objects")]);
    // Everything is as it was, except that no instance survived the kill: no object is live.
    const [versions, deployments, objects] = before as [unknown, unknown, { objects: { live: boolean }[]; resets: number }];
    expect(objects.objects.some((object) => object.live)).toBe(true);
    const idle = { ...objects, objects: objects.objects.map((object) => ({ ...object, live: false })) };
    expect(after).toEqual([versions, deployments, idle]);
    expect((JSON.parse((await get(`${server.url}/objects/foo`)).text) as { count: number }).count).toBe(foo.count + 1);
    const traces = readFileSync(path.join(dir, ".dosim/traces.ndjson"), "utf8").trimEnd().split("\n");
    expect(traces.length).toBeGreaterThan(0);
    for (const line of traces) expect(() => JSON.parse(line)).not.toThrow();
  });
});
