/**
 * Versions uploaded while `dosim dev` runs are loaded into spare slots, not by restarting workerd:
 * on the platform an upload changes nothing that runs, and with the default deferred code-update
 * strategy a live object keeps its instance, in-memory state included, until it hibernates or the
 * deadline passes (docs, "Durable Objects code updates"). (A version that fits no slot:
 * test/runtime/spare-slots.test.ts.) The server runs in this process.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor } from "../../src/cli/account-client.js";
import { versionsDeploy } from "../../src/cli/commands/versions-deploy.js";
import { versionsSecretPut } from "../../src/cli/commands/versions-secret-put.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { get, makeProject, removeProject, startDevInProcess, type DevServerHandle } from "./helpers.js";

const quiet = { out: () => undefined };

/**
 * A Worker whose Durable Object counts calls in memory and in storage, reached over RPC, and which
 * reports the version (and generation of code) that answers, and the secret it sees.
 */
function tallyWorker(generation: number): string {
  return `import { DurableObject } from "cloudflare:workers";
export class Tally extends DurableObject {
  inMemory = 0;
  async bump() {
    this.inMemory++;
    const stored = ((await this.ctx.storage.get("stored")) ?? 0) + 1;
    await this.ctx.storage.put("stored", stored);
    return { generation: ${generation}, version: this.env.META.id, inMemory: this.inMemory, stored, secret: this.env.SECRET ?? null };
  }
}
export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    return Response.json(await env.TALLY.getByName(name).bump());
  },
};
`;
}

function config(main: string): string {
  return `name = "tally"
main = "${main}"
compatibility_date = "2026-04-01"

[[durable_objects.bindings]]
name = "TALLY"
class_name = "Tally"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Tally"]

[version_metadata]
binding = "META"
`;
}

interface TallyAnswer {
  readonly generation: number;
  readonly version: string;
  readonly inMemory: number;
  readonly stored: number;
  readonly secret: string | null;
}

describe("versions uploaded under dosim dev", () => {
  let dir: string;
  let server: DevServerHandle;
  beforeAll(async () => {
    dir = makeProject("dosim-late-versions-");
    for (const generation of [1, 2]) writeFileSync(path.join(dir, `src/tally${generation}.js`), tallyWorker(generation));
    writeFileSync(path.join(dir, "wrangler.toml"), config("src/tally1.js"));
    writeFileSync(path.join(dir, "two.toml"), config("src/tally2.js"));
    server = await startDevInProcess(dir, { seed: "late-versions" });
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  const tally = async (name: string): Promise<TallyAnswer> => {
    const answer = await get(`${server.url}/${name}`);
    expect(answer.status, answer.text).toBe(200);
    return JSON.parse(answer.text) as TallyAnswer;
  };

  /**
   * Runs `task` while the object "live" gets a request every 200 ms, so it stays active however long
   * the task takes (a quiet object hibernates after 10 s, as on the platform); returns its answers.
   */
  const whileLive = async <T>(task: () => Promise<T>): Promise<{ value: T; answers: TallyAnswer[] }> => {
    const answers: TallyAnswer[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) {
        answers.push(await tally("live"));
        // Pacing only: no result depends on it.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const value = await task().finally(() => (running = false));
    await traffic;
    answers.push(await tally("live"));
    return { value, answers };
  };

  /** Checks that one instance of `generation` gave every answer: its in-memory count never restarted. */
  const sameInstance = (answers: readonly TallyAnswer[], generation: number): void => {
    expect(answers.map((answer) => answer.generation)).toEqual(answers.map(() => generation));
    expect(answers.map((answer) => answer.inMemory)).toEqual(answers.map((_, index) => answers[0]!.inMemory + index));
    expect(answers.map((answer) => answer.stored)).toEqual(answers.map((_, index) => answers[0]!.stored + index));
  };

  it("leaves a live object live with its in-memory state through an upload, a secret change and their deploys", async () => {
    const client = clientFor(server.record);
    const first = await tally("live");
    expect(first).toMatchObject({ generation: 1, inMemory: 1, stored: 1 });

    const toTwo = await whileLive(async () => {
      const two = await versionsUpload(client, { config: path.join(dir, "two.toml") }, quiet);
      return { two, deployed: await versionsDeploy(client, [`${two.id}@100`], { yes: true }, quiet) };
    });
    // The live object waits for its update (default: deferred); nothing reset, no restart.
    expect(toTwo.value.deployed.effect.reset).toEqual([]);
    expect(toTwo.value.deployed.effect.deferred.map((entry) => entry.name)).toEqual(["live"]);
    sameInstance([first, ...toTwo.answers], 1);
    // A new object starts on the new code, which shares the class's storage.
    expect(await tally("fresh")).toMatchObject({ generation: 2, version: toTwo.value.two.id, inMemory: 1, stored: 1 });

    const toThree = await whileLive(async () => {
      const three = await versionsSecretPut(client, "SECRET", "s3cr3t", {}, quiet);
      // A short deadline, so the switch lands without waiting for hibernation.
      return { three, deployed: await versionsDeploy(client, [`${three.id}@100`], { yes: true, durableObjectsCodeUpdateMode: "deferred 1s" }, quiet) };
    });
    expect(toThree.value.deployed.effect.reset).toEqual([]);
    expect(toThree.value.deployed.effect.deferred.map((entry) => entry.name).sort()).toEqual(["fresh", "live"]);
    const before = toThree.answers.filter((answer) => answer.generation === 1);
    sameInstance([first, ...toTwo.answers, ...before], 1);
    expect(server.output()).not.toContain("workerd restarted");

    // The dev server's clock is wall time, moved every second: poll until the deadline has passed.
    // On a slow machine it can pass before the traffic's last answer, so the switch is looked for
    // in every answer, not only in those the poll gets.
    const answers = [first, ...toTwo.answers, ...toThree.answers];
    while (answers.at(-1)!.generation === 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answers.push(await tally("live"));
    }
    const switched = answers.findIndex((answer) => answer.generation !== 1);
    const last = answers[switched - 1]!;
    const after = answers[switched]!;
    // A new instance of the new code, with the stored count intact and the new secret.
    expect(after).toMatchObject({ generation: 2, version: toThree.value.three.id, inMemory: 1, secret: "s3cr3t" });
    expect(after.stored).toBe(last.stored + 1);
    sameInstance(answers.slice(switched), 2);
    // The object that ran in a slot was shut down there at the same deadline.
    expect(await tally("fresh")).toMatchObject({ generation: 2, version: toThree.value.three.id, inMemory: 1, stored: 2, secret: "s3cr3t" });
    expect(server.output()).not.toContain("workerd restarted");
  });
});
