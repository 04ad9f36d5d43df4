/**
 * The account API over real HTTP against a running dev server (in this process): bodies of the wrong shape, a
 * malformed `%`-escape and a body over the platform's 100 MB limit are answered 400 or 413 with a
 * message (never 500), change nothing, and the server goes on answering.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, type AccountClient } from "../../src/cli/account-client.js";
import type { ApiDeployment, ApiVersion } from "../../src/dev/api-shapes.js";
import { API_PREFIX, TOKEN_HEADER } from "../../src/dev/state-dir.js";
import { makeProject, removeProject, startDevInProcess, type DevServerHandle } from "./helpers.js";
import { rawRequest } from "./raw-http.js";

describe("the account API refuses malformed calls with 400 or 413", () => {
  let dir: string;
  let server: DevServerHandle;
  let client: AccountClient;
  let scripts: string;

  beforeAll(async () => {
    dir = makeProject("dosim-api-refusals-");
    server = await startDevInProcess(dir, { seed: "api-refusals" });
    client = clientFor(server.record);
    scripts = `${server.record.apiUrl}/client/v4/accounts/local/workers/scripts/${server.record.workerName}`;
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  const state = async (): Promise<unknown> => [await client.call<{ items: ApiVersion[] }>("GET", "/versions"), await client.call<{ deployments: ApiDeployment[] }>("GET", "/deployments")];
  const post = async (path: string, body: string, method = "POST"): Promise<{ status: number; json: { success: boolean; errors: { code: string; message: string }[] } }> => {
    const response = await fetch(`${scripts}${path}`, { method, headers: { [TOKEN_HEADER]: server.record.token, "content-type": "application/json" }, body });
    return { status: response.status, json: (await response.json()) as never };
  };

  it("bodies of the wrong shape: 400 naming the field, and nothing changes", async () => {
    const before = await state();
    const cases: [string, string, string, RegExp][] = [
      ["POST", "/deployments", JSON.stringify({ strategy: "percentage", versions: [null] }), /^versions\[0\]: /],
      ["POST", "/deployments", JSON.stringify({ strategy: "percentage", versions: "all" }), /^versions: /],
      ["POST", "/deployments", JSON.stringify({ versions: [{ version_id: 7, percentage: 100 }] }), /^versions\[0\]\.version_id: /],
      ["PATCH", "/secrets-bulk", JSON.stringify({ secrets: { K: 5 } }), /secrets\.K must be/],
      ["PATCH", "/versions/latest", JSON.stringify({ env: [] }), /^env must map/],
      ["POST", "/versions", JSON.stringify({ config: "relative.toml" }), /absolute path/],
      ["POST", "/deployments", "{not json", /not JSON/],
    ];
    for (const [method, path, body, message] of cases) {
      const answer = await post(path, body, method);
      expect(answer.status, `${method} ${path} ${body}`).toBe(400);
      expect(answer.json.success).toBe(false);
      expect(answer.json.errors[0]!.message).toMatch(message);
    }
    expect(await state()).toEqual(before);
  });

  it("code_update_strategy: null is the platform's default, not an error; a wrong one is a 400", async () => {
    const id = (await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items[0]!.id;
    const defaulted = await post("/deployments", JSON.stringify({ strategy: "percentage", versions: [{ version_id: id, percentage: 100 }], code_update_strategy: null }));
    expect(defaulted.status).toBe(200);
    const wrong = await post("/deployments", JSON.stringify({ strategy: "percentage", versions: [{ version_id: id, percentage: 100 }], code_update_strategy: "soon" }));
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0]).toMatchObject({ code: "invalid-code-update" });
  });

  it("a malformed %-escape in the path: 400 with how to encode it", async () => {
    const port = Number(new URL(server.record.apiUrl).port);
    const host = new URL(server.record.apiUrl).host;
    for (const target of [`${API_PREFIX}/client/v4/accounts/local/workers/scripts/%E0%A4%A/versions`, `${API_PREFIX}/client/v4/accounts/local/workers/scripts/${server.record.workerName}/versions/%zz`]) {
      const answer = await rawRequest(port, [`GET ${target} HTTP/1.1`, `Host: ${host}`, `${TOKEN_HEADER}: ${server.record.token}`, "Connection: close"].join("\r\n"));
      expect(answer.status, target).toBe(400);
      expect(answer.body).toMatch(/malformed %-escape; encode it with encodeURIComponent/);
    }
  });

  it("a version's resources.bindings lists every binding its config declares, as the API names them", async () => {
    const [version] = (await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items;
    expect(version!.resources.bindings).toEqual([
      { type: "plain_text", name: "GREETING", text: "Hello" },
      { type: "durable_object_namespace", name: "COUNTER", class_name: "Counter" },
      { type: "version_metadata", name: "CF_VERSION_METADATA" },
    ]);
    expect(version!.annotations["workers/triggered_by"]).toBe("upload");
  });

  it("a body over 100 MB: 413 without being read, and the API goes on", async () => {
    const port = Number(new URL(server.record.apiUrl).port);
    const host = new URL(server.record.apiUrl).host;
    const target = `${API_PREFIX}/client/v4/accounts/local/workers/scripts/${server.record.workerName}/deployments`;
    const head = [`POST ${target} HTTP/1.1`, `Host: ${host}`, `${TOKEN_HEADER}: ${server.record.token}`, "content-type: application/json", `content-length: ${100 * 1024 * 1024 + 1}`].join("\r\n");
    const answer = await rawRequest(port, head);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than 100 MB/);
    expect((await client.call<{ items: ApiVersion[] }>("GET", "/versions")).items.length).toBeGreaterThan(0);
  });
});
