/**
 * wrangler's secret verbs, `--secrets-file` and deploy's split warning against the dev server,
 * started in this process (the binaries find it by its record, as they find a `dosim dev`).
 * What only the binary shows runs as users run it (the built binary, outside a terminal): values
 * on stdin, flags, exit codes and refusals on stderr. The other steps call the verb's function in
 * this process (what the binary's command calls once its flags are parsed), which costs an HTTP
 * call instead of a Node process. No output and no API answer ever carries a secret's value.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, type AccountClient } from "../../src/cli/account-client.js";
import { deploy } from "../../src/cli/commands/deploy.js";
import { secretBulk } from "../../src/cli/commands/secret-bulk.js";
import { secretDelete } from "../../src/cli/commands/secret-delete.js";
import { secretList } from "../../src/cli/commands/secret-list.js";
import { versionsDeploy } from "../../src/cli/commands/versions-deploy.js";
import { versionsSecretPut } from "../../src/cli/commands/versions-secret-put.js";
import { versionsUpload } from "../../src/cli/commands/versions-upload.js";
import { readBulkSecrets } from "../../src/cli/secrets-file.js";
import type { ApiDeployment, ApiVersion } from "../../src/dev/api-shapes.js";
import { captureIo, dosim, get, makeProject, removeProject, startDevInProcess, type CapturedIo, type DevServerHandle } from "./helpers.js";

const VALUES = ["first-value-1", "bulk-value-2", "env-value-3", "file-value-4", "version-value-5"];

describe("secret verbs against a running dosim dev", () => {
  let dir: string;
  let server: DevServerHandle;
  let client: AccountClient;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = makeProject("dosim-secrets-");
    server = await startDevInProcess(dir, { seed: "secrets" });
    client = clientFor(server.record);
  });
  afterAll(async () => {
    // Nothing printed and no API answer carried a value.
    const answers = JSON.stringify([await client.call("GET", "/versions"), await client.call("GET", "/secrets"), await client.call("GET", "/deployments")]);
    for (const value of VALUES) {
      expect(answers).not.toContain(value);
      for (const text of printed) expect(text).not.toContain(value);
    }
    await server?.stop();
    removeProject(dir);
  });

  const run = async (args: string[], input?: string) => {
    const result = await dosim(dir, args, input);
    printed.push(result.stdout, result.stderr);
    return result;
  };
  /** Runs a verb's function in this process; answers what it printed. */
  const call = async (task: (io: CapturedIo) => Promise<unknown>): Promise<string> => {
    const io = captureIo();
    await task(io);
    printed.push(io.text());
    return io.text();
  };
  const config = () => path.join(dir, "wrangler.toml");
  const versions = async () => (await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items;
  const latestDeployment = async () => (await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments")).deployments[0]!;
  const secretNames = (version: ApiVersion) => version.resources.bindings.filter((binding) => binding.type === "secret_text").map((binding) => binding.name);

  it("secret put, list (json and pretty), bulk from a JSON file with a deletion, delete", async () => {
    const put = await run(["secret", "put", "API_KEY"], `${VALUES[0]}\n`);
    expect(put.status, put.stderr).toBe(0);
    expect(put.stdout).toContain('🌀 Creating the secret for the Worker "hello"');
    expect(put.stdout).toContain("✨ Success! Uploaded secret API_KEY");
    expect((await latestDeployment()).versions).toEqual([{ version_id: (await versions())[0]!.id, percentage: 100 }]);

    const listed = await call((io) => secretList(client, {}, io));
    expect(JSON.parse(listed)).toEqual([{ name: "API_KEY", type: "secret_text" }]);
    expect((await run(["secret", "list", "--format", "pretty"])).stdout).toBe("Secret Name: API_KEY\n\n");

    const file = path.join(dir, "bulk.json");
    writeFileSync(file, JSON.stringify({ TOKEN: VALUES[1], API_KEY: null }));
    const bulk = await call(async (io) => secretBulk(client, await readBulkSecrets(file), io));
    expect(bulk).toContain("💥 Successfully deleted secret for key: API_KEY");
    expect(bulk).toContain("✨ Successfully created secret for key: TOKEN");
    expect(bulk).toContain("💥 1 secrets successfully deleted");
    expect(secretNames((await versions())[0]!)).toEqual(["TOKEN"]);

    const deleted = await call((io) => secretDelete(client, "TOKEN", io));
    expect(deleted).toContain("? Are you sure you want to permanently delete the secret TOKEN on the Worker hello?");
    expect(deleted).toContain("✨ Success! Deleted secret TOKEN");
    expect(JSON.parse(await call((io) => secretList(client, {}, io)))).toEqual([]);
    const missing = await run(["secret", "delete", "TOKEN"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("[unknown-secret]");
  });

  it("secret bulk reads .env from stdin; a file that is neither JSON nor .env exits 2", async () => {
    const bulk = await run(["secret", "bulk"], `DB_PASSWORD=${VALUES[2]}\n# a comment\n`);
    expect(bulk.status, bulk.stderr).toBe(0);
    expect(bulk.stdout).toContain("✨ 1 secrets successfully created");
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ N: 5 }));
    const refused = await run(["secret", "bulk", bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`The value for "N" in "${bad}" is not null or a "string" instead it is of type "number"`);
  });

  it("versions secret put/bulk/delete create versions that keep the newest tag, deploy nothing, and list by version", async () => {
    await call((io) => versionsUpload(client, { config: config(), tag: "release-9" }, io));
    const deployment = await latestDeployment();
    const put = await call((io) => versionsSecretPut(client, "SIGNING_KEY", VALUES[4]!, {}, io));
    expect(put).toMatch(/✨ Success! Created version \S+ with secret SIGNING_KEY\./);
    const [created] = await versions();
    expect(created!.annotations).toMatchObject({ "workers/tag": "release-9", "workers/message": 'Updated secret "SIGNING_KEY"', "workers/triggered_by": "secret" });
    expect(secretNames(created!)).toEqual(["DB_PASSWORD", "SIGNING_KEY"]);
    const retagged = await run(["versions", "secret", "delete", "DB_PASSWORD", "--tag", "release-9b", "--message", "drop db"]);
    expect(retagged.status, retagged.stderr).toBe(0);
    const [without] = await versions();
    expect(without!.annotations).toMatchObject({ "workers/tag": "release-9b", "workers/message": "drop db" });
    expect(secretNames(without!)).toEqual(["SIGNING_KEY"]);
    expect(await latestDeployment()).toEqual(deployment);

    const listed = await run(["versions", "secret", "list", "--latest-version"]);
    expect(listed.stdout).toBe(`-- Version ${without!.id} (0%) secrets --\nSecret Name: SIGNING_KEY\n\n`);
    // A plain secret change is refused while the newest version is not the deployed one (10215).
    const refused = await run(["secret", "put", "OTHER"], "x");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("[10215]");
  });

  it("--secrets-file adds secrets to an upload and to a deploy; the others are inherited", async () => {
    const file = path.join(dir, ".env.secrets");
    writeFileSync(file, `FILE_SECRET=${VALUES[3]}\n`);
    const upload = await run(["versions", "upload", "--secrets-file", file]);
    expect(upload.status, upload.stderr).toBe(0);
    expect(secretNames((await versions())[0]!)).toEqual(["SIGNING_KEY", "FILE_SECRET"]);
    await call((io) => deploy(client, { config: config(), secretsFile: file }, io));
    expect(secretNames((await versions())[0]!)).toEqual(["SIGNING_KEY", "FILE_SECRET"]);
    expect((await get(`${server.url}/`)).status).toBe(200);
  });

  it("deploy while a split is active warns as wrangler does and, outside a terminal, goes on", async () => {
    const [newest, older] = await versions();
    await call((io) => versionsDeploy(client, [`${newest!.id}@50`, `${older!.id}@50`], { yes: true }, io));
    const split = await run(["deploy"]);
    expect(split.status, split.stderr).toBe(0);
    expect(split.stdout).toContain('Your last deployment has multiple versions. To progress that deployment use "dosim versions deploy" instead.');
    expect(split.stdout).toContain("Your last deployment has 2 version(s):");
    expect(split.stdout).toContain('? "dosim deploy" will upload a new version and deploy it globally immediately.\nAre you sure you want to continue?');
    expect((await latestDeployment()).versions).toHaveLength(1);
    // With nothing split, no warning.
    expect(await call((io) => deploy(client, { config: config() }, io))).not.toContain("multiple versions");
  });
});
