/**
 * wrangler's secret verbs, `--secrets-file` and deploy's split warning, run as users run them (the
 * built binary, outside a terminal) against a real `dosim dev`. No output and no API answer ever
 * carries a secret's value.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, type AccountClient } from "../../src/cli/account-client.js";
import type { ApiDeployment, ApiVersion } from "../../src/dev/api-shapes.js";
import { dosim, get, makeProject, removeProject, startDev, type DevProcess } from "./helpers.js";

const VALUES = ["first-value-1", "bulk-value-2", "env-value-3", "file-value-4", "version-value-5"];

describe("secret verbs against a running dosim dev", () => {
  let dir: string;
  let server: DevProcess;
  let client: AccountClient;
  const printed: string[] = [];

  beforeAll(async () => {
    dir = makeProject("dosim-secrets-");
    server = await startDev(dir, ["--seed", "secrets"]);
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
  const versions = async () => (await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items;
  const latestDeployment = async () => (await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments")).deployments[0]!;
  const secretNames = (version: ApiVersion) => version.resources.bindings.filter((binding) => binding.type === "secret_text").map((binding) => binding.name);

  it("secret put, list (json and pretty), bulk from a JSON file with a deletion, delete", async () => {
    const put = await run(["secret", "put", "API_KEY"], `${VALUES[0]}\n`);
    expect(put.status, put.stderr).toBe(0);
    expect(put.stdout).toContain('🌀 Creating the secret for the Worker "hello"');
    expect(put.stdout).toContain("✨ Success! Uploaded secret API_KEY");
    expect((await latestDeployment()).versions).toEqual([{ version_id: (await versions())[0]!.id, percentage: 100 }]);

    const listed = await run(["secret", "list"]);
    expect(JSON.parse(listed.stdout)).toEqual([{ name: "API_KEY", type: "secret_text" }]);
    expect((await run(["secret", "list", "--format", "pretty"])).stdout).toBe("Secret Name: API_KEY\n\n");

    const file = path.join(dir, "bulk.json");
    writeFileSync(file, JSON.stringify({ TOKEN: VALUES[1], API_KEY: null }));
    const bulk = await run(["secret", "bulk", file]);
    expect(bulk.status, bulk.stderr).toBe(0);
    expect(bulk.stdout).toContain("💥 Successfully deleted secret for key: API_KEY");
    expect(bulk.stdout).toContain("✨ Successfully created secret for key: TOKEN");
    expect(bulk.stdout).toContain("💥 1 secrets successfully deleted");
    expect(secretNames((await versions())[0]!)).toEqual(["TOKEN"]);

    const deleted = await run(["secret", "delete", "TOKEN"]);
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain("? Are you sure you want to permanently delete the secret TOKEN on the Worker hello?");
    expect(deleted.stdout).toContain("✨ Success! Deleted secret TOKEN");
    expect(JSON.parse((await run(["secret", "list"])).stdout)).toEqual([]);
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
    const upload = await run(["versions", "upload", "--tag", "release-9"]);
    expect(upload.status, upload.stderr).toBe(0);
    const deployment = await latestDeployment();
    const put = await run(["versions", "secret", "put", "SIGNING_KEY"], VALUES[4]);
    expect(put.status, put.stderr).toBe(0);
    expect(put.stdout).toMatch(/✨ Success! Created version \S+ with secret SIGNING_KEY\./);
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
    const deploy = await run(["deploy", "--secrets-file", file]);
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(secretNames((await versions())[0]!)).toEqual(["SIGNING_KEY", "FILE_SECRET"]);
    expect((await get(`${server.url}/`)).status).toBe(200);
  });

  it("deploy while a split is active warns as wrangler does and, outside a terminal, goes on", async () => {
    const [newest, older] = await versions();
    const split = await run(["versions", "deploy", `${newest!.id}@50`, `${older!.id}@50`, "--yes"]);
    expect(split.status, split.stderr).toBe(0);
    const deploy = await run(["deploy"]);
    expect(deploy.status, deploy.stderr).toBe(0);
    expect(deploy.stdout).toContain('Your last deployment has multiple versions. To progress that deployment use "dosim versions deploy" instead.');
    expect(deploy.stdout).toContain("Your last deployment has 2 version(s):");
    expect(deploy.stdout).toContain('? "dosim deploy" will upload a new version and deploy it globally immediately.\nAre you sure you want to continue?');
    expect((await latestDeployment()).versions).toHaveLength(1);
    // With nothing split, no warning.
    expect((await run(["deploy"])).stdout).not.toContain("multiple versions");
  });
});
