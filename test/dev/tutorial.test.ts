/**
 * Cloudflare's gradual-deployment tutorial, followed locally with a real `dosim dev` process, the
 * verbs as users run them, and plain HTTP: deploy, edit and upload, smoke-test at 0% with an
 * override, split 50/50, pin a user with a version key, go to 100%, roll back, restart. The other
 * dev-server tests mostly start the server in their own process: this one keeps the whole path
 * through the binaries, from what `dosim dev` prints to its stop on SIGTERM.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor } from "../../src/cli/account-client.js";
import { deploymentsList } from "../../src/cli/commands/deployments-list.js";
import { deploymentsStatus } from "../../src/cli/commands/deployments-status.js";
import { versionsList } from "../../src/cli/commands/versions-list.js";
import type { ApiDeployment, ApiVersion } from "../../src/dev/api-shapes.js";
import { dosim, get, makeProject, readProjectFile, removeProject, startDev, type DevProcess } from "./helpers.js";

const OLD_GREETING = "Hello from version";
const NEW_GREETING = "Hello, edited, from version";

describe("the tutorial, locally", () => {
  let dir: string;
  let server: DevProcess;
  let oldId: string;
  let newId: string;

  beforeAll(async () => {
    dir = makeProject("dosim-tutorial-");
    server = await startDev(dir, ["--seed", "tutorial"]);
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  /** A listing verb's `--json` output, run in this process against the server (spawning costs ~1 s each). */
  const json = async <T>(verb: "versions list" | "deployments list" | "deployments status"): Promise<T> => {
    let printed = "";
    const io = { out: (text: string) => (printed += `${text}\n`) };
    const client = clientFor(server.record);
    if (verb === "versions list") await versionsList(client, { json: true }, io);
    else if (verb === "deployments list") await deploymentsList(client, { json: true }, io);
    else await deploymentsStatus(client, { json: true }, io);
    return JSON.parse(printed) as T;
  };

  it("1. the first start deploys the current code at 100%", async () => {
    expect(server.output()).toContain("first start: deployed the current code");
    // The dashboard's address as printed: the API's, with the token (test/browser/dashboard.test.ts opens it).
    expect(/Dashboard: (\S+)/.exec(server.output())?.[1]).toBe(`${server.record.apiUrl}/?token=${server.record.token}`);
    const versions = await json<ApiVersion[]>("versions list");
    expect(versions).toHaveLength(1);
    oldId = versions[0]!.id;
    expect((await get(`${server.url}/`)).text).toBe(`Hello from version ${oldId}`);
    for (const name of ["foo", "bar", "baz"]) expect((await get(`${server.url}/objects/${name}`)).status).toBe(200);
  });

  it("2. edit the greeting and upload a version, which gets no traffic", async () => {
    const file = path.join(dir, "src/example/worker.ts");
    writeFileSync(file, readProjectFile(dir, "src/example/worker.ts").replace("`${env.GREETING} from version", "`${env.GREETING}, edited, from version"));
    const upload = await dosim(dir, ["versions", "upload", "--tag", "edited", "--message", "New greeting"]);
    expect(upload.status, upload.stderr).toBe(0);
    newId = /Worker Version ID: (\S+)/.exec(upload.stdout)![1]!;
    expect(upload.stdout).toContain("Uploaded hello");
    const versions = await json<ApiVersion[]>("versions list");
    expect(versions.map((version) => [version.id, version.number, version.annotations["workers/tag"]])).toEqual([
      [oldId, 1, undefined],
      [newId, 2, "edited"],
    ]);
    for (let i = 0; i < 5; i++) expect((await get(`${server.url}/`)).text).toBe(`${OLD_GREETING} ${oldId}`);
  });

  it("3. at 0%, an override reaches the new version (a smoke test); plain traffic does not", async () => {
    const deploy = await dosim(dir, ["versions", "deploy", `${newId}@0`, `${oldId}@100`, "--yes"]);
    expect(deploy.status, deploy.stderr).toBe(0);
    const override = { "Cloudflare-Workers-Version-Overrides": `hello="${newId}"` };
    for (let i = 0; i < 5; i++) {
      expect((await get(`${server.url}/`, override)).text).toBe(`${NEW_GREETING} edited`);
      expect((await get(`${server.url}/`)).text).toBe(`${OLD_GREETING} ${oldId}`);
    }
  });

  it("4. 50/50: 200 requests show both greetings in roughly equal shares, and moved objects are listed", async () => {
    const deploy = await dosim(dir, ["versions", "deploy", `${newId}@50`, `${oldId}@50`, "--yes", "--message", "half"]);
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain(`Deployed hello version ${newId} at 50% and version ${oldId} at 50%`);
    expect(deploy.stdout).toMatch(/Durable Objects: 3 known, \d moved, \d reset/);
    let edited = 0;
    for (let i = 0; i < 200; i++) {
      const { text } = await get(`${server.url}/`);
      if (text.startsWith(NEW_GREETING)) edited++;
      else expect(text).toBe(`${OLD_GREETING} ${oldId}`);
    }
    expect(edited).toBeGreaterThan(70);
    expect(edited).toBeLessThan(130);
    // One line per request in the server's log, with the version that served it.
    expect(server.output()).toMatch(new RegExp(`GET / 200 version=${newId.slice(0, 8)}`));
    expect(server.output()).toMatch(/GET \/objects\/foo 200 version=\w{8} object=foo@\w{8}/);
  });

  it("5. a version key always gets the same version", async () => {
    for (const key of ["alice", "bob", "carol"]) {
      const answers = new Set<string>();
      for (let i = 0; i < 10; i++) answers.add((await get(`${server.url}/`, { "Cloudflare-Workers-Version-Key": key })).text);
      expect(answers.size).toBe(1);
    }
  });

  it("6. the new version goes to 100%, then a rollback returns to the old one", async () => {
    expect((await dosim(dir, ["versions", "deploy", `${newId}@100`, "--yes"])).status).toBe(0);
    for (let i = 0; i < 5; i++) expect((await get(`${server.url}/`)).text).toBe(`${NEW_GREETING} edited`);
    const rollback = await dosim(dir, ["rollback", "--message", "bad greeting"]);
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain(`Worker Version ${oldId} has been deployed to 100% of traffic.`);
    for (let i = 0; i < 5; i++) expect((await get(`${server.url}/`)).text).toBe(`${OLD_GREETING} ${oldId}`);
    const status = await json<ApiDeployment>("deployments status");
    expect(status.versions).toEqual([{ version_id: oldId, percentage: 100 }]);
    expect(status.annotations).toEqual({ "workers/triggered_by": "rollback", "workers/message": "bad greeting" });
  });

  it("7. a restart comes back with the same versions, deployments, objects and storage", async () => {
    const versions = await json<ApiVersion[]>("versions list");
    const deployments = await json<ApiDeployment[]>("deployments list");
    expect(deployments.map((deployment) => deployment.versions.map((entry) => `${entry.version_id.slice(0, 8)}@${entry.percentage}`).join(","))).toEqual([
      `${oldId.slice(0, 8)}@100`,
      `${newId.slice(0, 8)}@0,${oldId.slice(0, 8)}@100`,
      `${newId.slice(0, 8)}@50,${oldId.slice(0, 8)}@50`,
      `${newId.slice(0, 8)}@100`,
      `${oldId.slice(0, 8)}@100`,
    ]);
    const objects = await clientFor(server.record).call<{ objects: { name?: string }[]; resets: number }>("GET", "/objects");
    const count = JSON.parse((await get(`${server.url}/objects/foo`)).text) as { count: number };

    // SIGTERM: the server stops its workerd and removes its record on the way out.
    await server.stop();
    expect(server.output()).toContain("dosim dev: stopped");
    expect(existsSync(path.join(dir, ".dosim/server.json"))).toBe(false);
    server = await startDev(dir);
    expect(server.output()).not.toContain("first start");
    expect(server.output()).not.toMatch(/stopped \d+ workerd process/);
    expect(await json<ApiVersion[]>("versions list")).toEqual(versions);
    expect(await json<ApiDeployment[]>("deployments list")).toEqual(deployments);
    const after = await clientFor(server.record).call<{ objects: { name?: string }[]; resets: number }>("GET", "/objects");
    expect(after.objects.map((object) => object.name).sort()).toEqual(objects.objects.map((object) => object.name).sort());
    expect(after.resets).toBe(objects.resets);
    expect((JSON.parse((await get(`${server.url}/objects/foo`)).text) as { count: number }).count).toBe(count.count + 1);
    expect((await get(`${server.url}/`)).text).toBe(`${OLD_GREETING} ${oldId}`);
  });
});
