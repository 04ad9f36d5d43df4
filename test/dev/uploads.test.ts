/**
 * Uploads under `dosim dev`, over real HTTP. On the platform an upload changes nothing that runs
 * (docs, "Gradual deployments"), and it refuses a Worker that throws while it starts (API error
 * 10021, as wrangler shows it for `versions upload`). A kill -9 while an upload's code is being
 * checked leaves no workerd that the next start does not stop. The servers run in this process,
 * except the one killed, which is a `dosim dev` process.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountError, clientFor } from "../../src/cli/account-client.js";
import { versionsDeploy } from "../../src/cli/commands/versions-deploy.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { workerdOn } from "../../src/dev/orphans.js";
import { processAlive, readServerRecord, TOKEN_HEADER } from "../../src/dev/state-dir.js";
import { get, makeProject, removeProject, startDev, startDevInProcess, type DevServerHandle } from "./helpers.js";

const quiet = { out: () => undefined };

interface CounterAnswer {
  readonly count: number;
  readonly hits: number;
  readonly version: { readonly id: string };
}

async function hit(server: DevServerHandle, name: string): Promise<CounterAnswer> {
  const answer = await get(`${server.url}/objects/${name}`);
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as CounterAnswer;
}

/** A config beside the project's wrangler.toml whose entry module runs `startup`, then is the example Worker. */
function configWithEntry(dir: string, name: string, startup: string): string {
  const code = `export { Counter } from "./example/worker";\nimport worker from "./example/worker";\n${startup}\nexport default worker;\n`;
  writeFileSync(path.join(dir, `src/${name}.ts`), code);
  const config = readFileSync(path.join(dir, "wrangler.toml"), "utf8").replace(/^main = .*$/m, `main = "src/${name}.ts"`);
  writeFileSync(path.join(dir, `${name}.toml`), config);
  return path.join(dir, `${name}.toml`);
}

// One project for the file, so that its Worker is built once (builds are cached by the config's
// path); each server below starts from an empty state directory, as in a fresh copy.
let dir: string;
beforeAll(() => {
  dir = makeProject("dosim-uploads-");
});
afterAll(() => removeProject(dir));

describe("uploads under dosim dev", () => {
  let server: DevServerHandle;
  beforeAll(async () => {
    server = await startDevInProcess(dir, { seed: "uploads" });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(path.join(dir, ".dosim"), { recursive: true, force: true });
  });

  it("a versions upload leaves live objects live with their in-memory state, and the next deploy defers them", async () => {
    const client = clientFor(server.record);
    const names = ["foo", "bar", "baz"];
    // The objects stay active while the upload runs (a quiet one would hibernate after 10 s, as on
    // the platform): one request each, one object after another, until the upload is done.
    const answers = new Map<string, CounterAnswer[]>(names.map((name) => [name, []]));
    const poke = async (): Promise<void> => {
      for (const name of names) answers.get(name)!.push(await hit(server, name));
    };
    // A fresh server's first instances are the ones that go on answering: the server moves its
    // clock to now before it serves, so the seconds its start took do not count as idleness.
    await poke();
    for (const name of names) expect(answers.get(name)![0]!.hits, name).toBe(1);
    let uploading = true;
    const traffic = (async () => {
      while (uploading) {
        await poke();
        // Pacing only (well inside the 10 s before a quiet object hibernates): no result depends on it.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const uploaded = await versionsUpload(client, { config: path.join(dir, "wrangler.toml"), tag: "b", var: ["GREETING:Howdy"] }, quiet).finally(() => {
      uploading = false;
    });
    await traffic;
    await poke();
    // The same instances answered throughout: each object's in-memory hits went up one by one.
    for (const name of names) {
      const seen = answers.get(name)!;
      expect(seen.map((answer) => answer.hits)).toEqual(seen.map((_, index) => seen[0]!.hits + index));
      expect(new Set(seen.map((answer) => answer.version.id)).size).toBe(1);
    }
    const before = names.map((name) => answers.get(name)!.at(-1)!);
    // Active objects keep their code under the default deferred strategy (docs, "Durable Objects code updates").
    const deployed = await versionsDeploy(client, [`${uploaded.id}@100`], { yes: true }, quiet);
    expect(deployed.effect.reset).toEqual([]);
    expect(deployed.effect.deferred.map((entry) => entry.name).sort()).toEqual([...names].sort());
    const waiting = await hit(server, "foo");
    expect(waiting.version.id).toBe(before[0]!.version.id);
    expect(waiting.count).toBe(before[0]!.count + 1);
  });

  it("refuses an upload whose Worker throws at startup with 10021 in one line, and keeps serving", async () => {
    const client = clientFor(server.record);
    const config = configWithEntry(dir, "throws", 'const fail = (): never => {\n  throw new Error("boom at startup");\n};\nfail();');
    const refusal = await versionsUpload(client, { config }, quiet).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AccountError);
    expect((refusal as AccountError).message).toMatch(/boom at startup/);
    expect((refusal as AccountError).code).toBe("10021");
    expect((refusal as AccountError).message).toMatch(/^The uploaded Worker failed to start: .*boom at startup/);
    expect((refusal as AccountError).message).not.toContain("\n");
    const raw = await fetch(`${server.record.apiUrl}/client/v4/accounts/local/workers/scripts/${server.record.workerName}/versions`, {
      method: "POST",
      headers: { [TOKEN_HEADER]: server.record.token, "content-type": "application/json" },
      body: JSON.stringify({ config }),
    });
    expect(raw.status).toBe(400);
    const versions = await client.call<{ items: unknown[] }>("GET", "/versions");
    expect(versions.items).toHaveLength(2);
    expect((await get(`${server.url}/objects/foo`)).status).toBe(200);
  });
});

describe("a kill -9 while an upload's code is checked", () => {
  let server: DevServerHandle | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it("leaves no workerd the next start does not stop", async () => {
    const killed = await startDev(dir, ["--seed", "upload-kill"]);
    server = killed;
    const stateDir = path.join(dir, ".dosim");
    // A Worker whose startup never ends holds the check's workerd until the kill.
    const config = configWithEntry(dir, "spins", "while (Date.now() >= 0) {\n  // never ends\n}");
    const pending = versionsUpload(clientFor(killed.record), { config }, quiet).catch(() => undefined);
    const own = readServerRecord(stateDir)!.childPids;
    let checking: number[] = [];
    while (checking.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      checking = workerdOn(stateDir, own);
    }
    await killed.kill9();
    await pending;
    expect(checking.every(processAlive)).toBe(true);

    server = await startDevInProcess(dir);
    expect(server.output()).toMatch(/stopped \d+ workerd process\(es\) left by a server that was killed/);
    expect(checking.some(processAlive)).toBe(false);
    // Only the new server's own workerd works on the directory.
    expect(workerdOn(stateDir, readServerRecord(stateDir)!.childPids)).toEqual([]);
    expect((await get(`${server.url}/objects/foo`)).status).toBe(200);
  });
});
