/**
 * The verbs against the dev server (started in this process): every refusal is the model's error
 * (stable code, clear message, exit code 1) and changes nothing; the prompts ask for versions,
 * percentages, messages and confirmations, answered here by an injected prompter and once through
 * a pseudo-terminal. The binary runs where its flags, exit codes or terminal are the subject.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { AccountError, clientFor, connect, type AccountClient } from "../../src/cli/account-client.js";
import { connectFor } from "../../src/cli/verb.js";
import { rollback } from "../../src/cli/commands/rollback.js";
import { secretPut } from "../../src/cli/commands/secret-put.js";
import { versionsDeploy, type VersionsDeployFlags } from "../../src/cli/commands/versions-deploy.js";
import { versionsSecretPut } from "../../src/cli/commands/versions-secret-put.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import type { Prompter } from "../../src/cli/prompt.js";
import type { ApiDeployment, ApiVersion } from "../../src/dev/api-shapes.js";
import { DOSIM_BIN } from "../helpers/run-cli.js";
import { dosim, makeProject, readProjectFile, removeProject, startDevInProcess, type DevServerHandle } from "./helpers.js";

/** Answers questions from a script, and records them. */
class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  constructor(private readonly answers: string[]) {}
  async text(question: string, defaultValue?: string): Promise<string> {
    this.asked.push(question);
    const answer = this.answers.shift() ?? "";
    return answer === "" ? (defaultValue ?? "") : answer;
  }
  async confirm(question: string, defaultValue: boolean): Promise<boolean> {
    this.asked.push(question);
    const answer = this.answers.shift() ?? "";
    return answer === "" ? defaultValue : answer === "y";
  }
  async secret(question: string): Promise<string> {
    this.asked.push(question);
    return this.answers.shift() ?? "";
  }
  close(): void {}
}

const quiet = { out: () => undefined };

describe("verbs against a running dosim dev", () => {
  let dir: string;
  let server: DevServerHandle;
  let client: AccountClient;
  const ids: string[] = [];

  beforeAll(async () => {
    dir = makeProject("dosim-verbs-");
    server = await startDevInProcess(dir, { seed: "verbs" });
    client = clientFor(server.record);
    ids.push((await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items[0]!.id);
    const config = path.join(dir, "wrangler.toml");
    for (const tag of ["same", "same"]) ids.push((await versionsUpload(client, { config, tag }, quiet)).id);
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  /** Versions and deployments, to check that a refusal changed nothing. */
  const state = async (): Promise<unknown> => [
    await client.call<{ items: ApiVersion[] }>("GET", "/versions"),
    await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments"),
  ];

  const refused = async (code: string, message: RegExp, task: () => Promise<unknown>): Promise<void> => {
    const before = await state();
    const error = await task().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AccountError);
    expect((error as AccountError).code).toBe(code);
    expect((error as AccountError).message).toMatch(message);
    expect(await state()).toEqual(before);
  };

  const deploy = (specs: string[], flags: Partial<VersionsDeployFlags> = {}) => versionsDeploy(client, specs, { yes: true, ...flags }, quiet);

  describe("refusals", () => {
    it("deployment specs", async () => {
      const [a, b, c] = ids as [string, string, string];
      // wrangler's checks and words (versions/deploy.ts), before anything reaches the server.
      await refused("no-versions", /^You must select at least 1 version to deploy\./, () => deploy([]));
      await refused("too-many-versions", /^Too many versions selected\. You can deploy at most 2 version\(s\) at a time\./, () => deploy([`${a}@50`, `${b}@25`, `${c}@25`]));
      await refused("percentage-sum", /^The specified traffic percentages add up to 90%, but must total exactly 100%\./, () => deploy([`${b}@50`, `${a}@40`]));
      await refused("invalid-percentage", /^Percentage value 101% .* is out of range\. Percentages must be between 0 and 100\./, () => deploy([`${b}@101`]));
      await refused("invalid-version-spec", /^Could not parse percentage value from version-spec positional arg/, () => deploy([`${b}@abc`]));
      // Positional specs are version ids; a tag is refused there and goes through --version-tag.
      await refused("unknown-version", /^"same" is not a valid Version ID\. .*--version-tag/, () => deploy(["same@100"]));
      await refused("unknown-version", /No version with id/, () => deploy(["00000000-0000-4000-8000-000000000000@100"]));
      await refused("unknown-version", /^No deployable version found with tag "nope"\./, () => deploy([], { versionTag: ["nope@100"] }));
      await refused("ambiguous-version-tag", /^Tag "same" matches multiple versions:\n {2}- .*\nDeploy by Version ID directly to disambiguate\.$/s, () => deploy([], { versionTag: ["same@100"] }));
      // The API's code_update_strategy (docs "Durable Objects code updates": max_delay with immediate is an error).
      const withStrategy = (strategy: unknown) => () =>
        client.call("POST", "/deployments", { body: { strategy: "percentage", versions: [{ version_id: b, percentage: 100 }], code_update_strategy: strategy } });
      await refused("invalid-code-update", /mode must be "immediate" or "deferred"/, withStrategy({ mode: "sometimes" }));
      await refused("invalid-code-update", /only applies to the deferred/, withStrategy({ mode: "immediate", max_delay: 60 }));
      await refused("invalid-code-update", /between 0 and 86400 seconds/, withStrategy({ mode: "deferred", max_delay: 90_000 }));
    });

    it("uploads: a migration (10211), a long tag, code that does not build, another Worker's config", async () => {
      const migrating = path.join(dir, "wrangler-migrate.toml");
      writeFileSync(migrating, `${readProjectFile(dir, "wrangler.toml")}\n[[migrations]]\ntag = "v2"\nnew_sqlite_classes = ["Counter2"]\n`);
      await refused("10211", /migrations must be applied with a full deploy/, () => versionsUpload(client, { config: migrating }, quiet));
      await refused("tag-too-long", /shorten it to at most 100 bytes/, () => versionsUpload(client, { config: path.join(dir, "wrangler.toml"), tag: "x".repeat(101) }, quiet));
      const broken = path.join(dir, "wrangler-broken.toml");
      writeFileSync(path.join(dir, "src/broken.ts"), "export default { fetch( };\n");
      writeFileSync(broken, readProjectFile(dir, "wrangler.toml").replace('main = "src/example/worker.ts"', 'main = "src/broken.ts"'));
      await refused("invalid-input", /does not build/, () => versionsUpload(client, { config: broken }, quiet));
      const other = path.join(dir, "wrangler-other.toml");
      writeFileSync(other, readProjectFile(dir, "wrangler.toml").replace('name = "hello"', 'name = "other"'));
      await refused("invalid-input", /describes the Worker "other"/, () => versionsUpload(client, { config: other }, quiet));
    });

    it("secrets: a bad name, and a plain secret put while the newest version is not deployed (10215)", async () => {
      await refused("invalid-secret-name", /not a valid secret name/, () => versionsSecretPut(client, "1BAD", "x", {}, quiet));
      await refused("10215", /^Secret edit failed\. .*latest version of your Worker isn.t currently deployed/, () => secretPut(client, "API_KEY", "x", quiet));
    });

    it("a rollback across changed secrets (10220) asks on a terminal; declined, nothing changes", async () => {
      const withSecret = await versionsSecretPut(client, "API_KEY", "v1", {}, quiet);
      await deploy([`${withSecret.id}@100`]);
      const before = await state();
      const declined = new ScriptedPrompter(["", "y", "n"]);
      expect(await rollback(client, ids[0], {}, { out: () => undefined, prompter: declined })).toBeUndefined();
      expect(declined.asked).toEqual([
        expect.stringContaining("optional message for this rollback"),
        "Are you sure you want to deploy this Worker Version to 100% of traffic?",
        expect.stringMatching(/^The following secrets have changed since version .* Please confirm you wish to continue with the rollback\n {2}\* API_KEY$/),
      ]);
      expect(await state()).toEqual(before);
      // Confirmed on a terminal: the rollback goes through (re-posted with force).
      const done = await rollback(client, ids[0], {}, { out: () => undefined, prompter: new ScriptedPrompter(["", "y", "y"]) });
      expect(done?.versions).toEqual([{ version_id: ids[0], percentage: 100 }]);
    });

    it("outside a terminal, a rollback across changed secrets (10220) proceeds as if confirmed, as wrangler's does", async () => {
      const withSecret = await versionsSecretPut(client, "API_KEY", "v2", {}, quiet);
      await deploy([`${withSecret.id}@100`]);
      const run = await dosim(dir, ["rollback", ids[0]!, "--message", "ci rollback"]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("? The following secrets have changed since version");
      expect(run.stdout).toContain("🤖 Using fallback value in non-interactive context: yes");
      expect(run.stdout).toContain(`SUCCESS Worker Version ${ids[0]} has been deployed to 100% of traffic.`);
      const latest = (await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments")).deployments[0]!;
      expect(latest.versions).toEqual([{ version_id: ids[0], percentage: 100 }]);
      expect(latest.annotations["workers/message"]).toBe("ci rollback");
      // wrangler has no --force on rollback; neither does dosim.
      expect((await dosim(dir, ["rollback", ids[0]!, "--force"])).status).toBe(2);
    });

    it("no server: says how to start one", async () => {
      await expect(connect(path.join(dir, "elsewhere"))).rejects.toThrow(/No dosim dev server is running .* Start one in another terminal with `dosim dev --persist-to/);
    });

    it("from the command line: exit code 1 with the message and code on stderr; bad flags exit 2", async () => {
      const sum = await dosim(dir, ["versions", "deploy", `${ids[1]}@50`, `${ids[0]}@40`, "--yes"]);
      expect(sum.status).toBe(1);
      expect(sum.stderr).toContain("The specified traffic percentages add up to 90%, but must total exactly 100%.");
      expect(sum.stderr).toContain("[percentage-sum]");
      const none = await dosim(dir, ["versions", "list", "--persist-to", "nowhere"]);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain("[no-dev-server]");
      expect((await dosim(dir, ["versions", "upload", "--var", "NOCOLON"])).status).toBe(2);
      // Nothing given and no terminal (CI): no prompt, the model's refusal.
      const empty = await dosim(dir, ["versions", "deploy"]);
      expect(empty.status).toBe(1);
      expect(empty.stderr).toContain("[no-versions]");
    });
  });

  describe("prompts", () => {
    it("versions deploy asks for versions and percentages, again when they do not add up, then a message", async () => {
      const lines: string[] = [];
      const prompter = new ScriptedPrompter([`${ids[2]} ${ids[0]}`, "60", "60", "70", "30", "via prompt"]);
      const answer = await versionsDeploy(client, [], {}, { out: (line) => lines.push(line), prompter });
      expect(answer.versions).toEqual([
        { version_id: ids[2], percentage: 70 },
        { version_id: ids[0], percentage: 30 },
      ]);
      expect(answer.annotations["workers/message"]).toBe("via prompt");
      expect(lines.join("\n")).toContain("The percentages add up to 120% but must total exactly 100%. [percentage-sum]");
      expect(prompter.asked.filter((question) => question.startsWith("What percentage"))).toHaveLength(4);
    });

    it("a rollback the user does not confirm changes nothing", async () => {
      const before = await state();
      const prompter = new ScriptedPrompter(["", "n"]);
      expect(await rollback(client, undefined, {}, { out: () => undefined, prompter })).toBeUndefined();
      expect(await state()).toEqual(before);
    });

    it("on a real terminal (a pseudo-terminal from script(1)), versions deploy prompts", async () => {
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(DOSIM_BIN)} versions deploy`;
      const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: dir, env: { ...process.env, CI: "", NO_COLOR: "1", TERM: "dumb" } });
      let output = "";
      const answers: [RegExp, string][] = [
        [/Which version\(s\)/, "1\r"],
        [/What percentage/, "\r"],
        [/deployment message/, "from a tty\r"],
      ];
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const next = answers[0];
        if (next !== undefined && next[0].test(output)) {
          answers.shift();
          child.stdin.write(next[1]);
        }
      });
      // A prompt that never comes fails the test at vitest's timeout; the terminal goes with it.
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      });
      const status = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      expect(output).toMatch(/Which version\(s\) do you want to deploy\?/);
      expect(status, output).toBe(0);
      expect(output).toContain("Deployed hello version");
      const status2 = await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments");
      expect(status2.deployments[0]!.annotations["workers/message"]).toBe("from a tty");
      expect(status2.deployments[0]!.versions).toHaveLength(1);
    });
  });

  describe("rollback names a version by id, as wrangler's", () => {
    it("rolls back to an id; a tag is refused with wrangler's words and changes nothing", async () => {
      const solo = await versionsUpload(client, { config: path.join(dir, "wrangler.toml"), tag: "solo" }, quiet);
      // A refusal's exit code 1 and stderr line are the binary's, checked "from the command line" above.
      await refused("unknown-version", /"solo" is not a valid Version ID\. /, () => rollback(client, "solo", { yes: true }, quiet));
      const done = await dosim(dir, ["rollback", solo.id, "-y", "-m", "back to solo", "--name", "hello"]);
      expect(done.status, done.stderr).toBe(0);
      expect(done.stdout).toContain(`SUCCESS Worker Version ${solo.id} has been deployed to 100% of traffic.`);
      const latest = (await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments")).deployments[0]!;
      expect(latest.versions).toEqual([{ version_id: solo.id, percentage: 100 }]);
      expect(latest.annotations).toEqual({ "workers/triggered_by": "rollback", "workers/message": "back to solo" });
      // What every verb's --name does, before the verb runs.
      await refused("invalid-input", /This dev server runs the Worker "hello", not "other"/, () => connectFor({ persistTo: path.join(dir, ".dosim"), name: "other" }));
    });

    it("versions deploy takes a tag through --version-tag", async () => {
      const tagged = await versionsUpload(client, { config: path.join(dir, "wrangler.toml"), tag: "by-tag" }, quiet);
      const run = await dosim(dir, ["versions", "deploy", "--version-tag", "by-tag@100", "--yes"]);
      expect(run.status, run.stderr).toBe(0);
      const latest = (await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments")).deployments[0]!;
      expect(latest.versions).toEqual([{ version_id: tagged.id, percentage: 100 }]);
    });
  });
});
