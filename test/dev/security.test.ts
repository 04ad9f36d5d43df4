/**
 * `dosim dev` as an attacker meets it, over real HTTP: nothing reaches dosim's internal control
 * worker (not through the traffic port with Miniflare's routing headers, not under a foreign Host
 * or Origin, not straight on workerd's own port), the account API answers only its token without
 * saying where the token lives, files that hold secrets are owner-only, and malformed or oversized
 * requests are answered without stopping the server. The server runs in this process: the subject
 * is what it answers and the files it makes, not the process that runs it.
 */
import { statSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, type AccountClient } from "../../src/cli/account-client.js";
import type { ApiDeployment } from "../../src/dev/api-shapes.js";
import { readServerRecord } from "../../src/dev/state-dir.js";
import { makeProject, removeProject, startDevInProcess, type DevServerHandle } from "./helpers.js";
import { listeningPorts, rawRequest } from "./raw-http.js";

const SECRET_VALUE = "s3cr3t-value-never-shown";
const CONTROL_ROUTES = ["POST /api/snapshot", "POST /api/deploy", "GET /traces", "POST /traces", "POST /bulk"];

describe.skipIf(process.platform !== "linux")("dosim dev refuses what an attacker tries", () => {
  let dir: string;
  let server: DevServerHandle;
  let client: AccountClient;
  let port: number;

  beforeAll(async () => {
    dir = makeProject("dosim-security-");
    server = await startDevInProcess(dir, { seed: "security" });
    client = clientFor(server.record);
    port = Number(new URL(server.url).port);
    await client.call("PUT", "/secrets", { body: { name: "API_KEY", text: SECRET_VALUE } });
  });
  afterAll(async () => {
    await server?.stop();
    removeProject(dir);
  });

  const deployments = async (): Promise<string> => JSON.stringify(await client.call<ApiDeployment[]>("GET", "/deployments"));

  it("MF-* headers on the traffic port reach the user's Worker, never the control worker", async () => {
    const before = await deployments();
    for (const route of CONTROL_ROUTES) {
      const [method, target] = route.split(" ") as [string, string];
      for (const host of [`127.0.0.1:${port}`, "attacker.example"]) {
        const headers = [`Host: ${host}`, "Origin: http://attacker.example", "MF-Route-Override: dosim-control", "MF-Original-URL: http://control/api/snapshot", "content-type: application/json"];
        const answer = await rawRequest(port, [`${method} ${target} HTTP/1.1`, ...headers].join("\r\n"), method === "POST" ? "[]" : "");
        // The example Worker answers 404 for these paths: the request went to it, headers stripped.
        expect(answer.status, `${route} with Host ${host}`).toBe(404);
        expect(answer.body).toBe("Not found");
        expect(answer.body).not.toContain(SECRET_VALUE);
      }
    }
    expect(await deployments()).toBe(before);
  });

  it("workerd's own port answers nothing without the run's secret, not even the control worker", async () => {
    // The secret put restarted workerd: its processes are in the record as it is now.
    const workerdPorts = readServerRecord(path.join(dir, ".dosim"))!.childPids.flatMap((pid) => listeningPorts(pid));
    expect(workerdPorts.length).toBeGreaterThan(0);
    const before = await deployments();
    for (const workerdPort of workerdPorts) {
      for (const route of [...CONTROL_ROUTES, "GET /"]) {
        const [method, target] = route.split(" ") as [string, string];
        const head = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${workerdPort}`, "MF-Route-Override: dosim-control"].join("\r\n");
        const answer = await rawRequest(workerdPort, head, method === "POST" ? "[]" : "");
        expect(answer.status, `${route} on workerd's port ${workerdPort}`).toBe(403);
        expect(answer.body).not.toContain(SECRET_VALUE);
        const plain = await rawRequest(workerdPort, [`GET / HTTP/1.1`, `Host: 127.0.0.1:${workerdPort}`].join("\r\n"));
        expect(plain.status).toBe(403);
      }
    }
    expect(await deployments()).toBe(before);
  });

  it("the account API refuses a foreign Host or Origin even with the token, and never shows secret values", async () => {
    const token = `x-dosim-token: ${server.record.token}`;
    const target = `GET /cdn-cgi/dosim/client/v4/accounts/local/workers/scripts/${server.record.workerName}/versions HTTP/1.1`;
    expect((await rawRequest(port, [target, "Host: attacker.example", token].join("\r\n"))).status).toBe(403);
    expect((await rawRequest(port, [target, `Host: localhost:${port}`, "Origin: http://attacker.example", token].join("\r\n"))).status).toBe(403);
    const allowed = await rawRequest(port, [target, `Host: localhost:${port}`, `Origin: http://localhost:${port}`, token].join("\r\n"));
    expect(allowed.status).toBe(200);
    expect(allowed.body).toContain('"name":"API_KEY"');
    expect(allowed.body).not.toContain(SECRET_VALUE);
  });

  it("the 401 says how to authenticate, not where the token is kept", async () => {
    const answer = await rawRequest(port, ["GET /cdn-cgi/dosim/client/v4/accounts/local/workers/scripts/x/versions HTTP/1.1", `Host: 127.0.0.1:${port}`].join("\r\n"));
    expect(answer.status).toBe(401);
    expect(answer.body).toContain("x-dosim-token");
    expect(answer.body).not.toContain(dir);
    expect(answer.body).not.toContain("server.json");
  });

  it("a malformed Host or target is answered 400 and the server goes on", async () => {
    for (const head of ["GET / HTTP/1.1\r\nHost: a b", "GET / HTTP/1.1\r\nHost: a/b", "GET http://[x HTTP/1.1\r\nHost: localhost", "GET / HTTP/1.1\r\nHost: [::1"]) {
      expect((await rawRequest(port, head)).status, head).toBe(400);
    }
    expect((await rawRequest(port, "NOT HTTP AT ALL")).status).toBe(400);
    expect((await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}`)).status).toBe(200);
  });

  it("a body larger than the platform's 100 MB limit is answered 413 without being read", async () => {
    // Cloudflare Workers limits, "Request limits": 100 MB request bodies on Free and Pro plans.
    const head = ["POST /objects/big HTTP/1.1", `Host: 127.0.0.1:${port}`, `content-length: ${100 * 1024 * 1024 + 1}`].join("\r\n");
    const answer = await rawRequest(port, head);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatch(/larger than 100 MB/);
    expect((await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}`)).status).toBe(200);
  });

  it("the state directory is owner-only, and so is every file that holds secrets", () => {
    const stateDir = path.join(dir, ".dosim");
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    const secretFiles = ["dosim-host.json", "server.json", ...findFiles(stateDir).filter((file) => /\.sqlite(-wal|-shm)?$/.test(file))];
    for (const file of secretFiles) {
      const full = path.isAbsolute(file) ? file : path.join(stateDir, file);
      expect(statSync(full).mode & 0o077, full).toBe(0);
    }
  });
});

/** Every file below `dir`. */
function findFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
