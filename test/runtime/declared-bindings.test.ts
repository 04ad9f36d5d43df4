import { describe, expect, it } from "vitest";
import { declaredBindings } from "../../src/runtime/declared-bindings.js";

// The binding types are the platform's metadata binding types, as wrangler uploads them
// (packages/wrangler/src/deployment-bundle/create-worker-upload-form.ts) and as the API lists
// them in a version's resources.bindings.
describe("the bindings a config declares, as the API names them", () => {
  it("lists each kind with its API fields, and JSON vars as json", () => {
    const config = {
      vars: { GREETING: "Hi", LIMITS: { max: 3 } },
      durable_objects: { bindings: [{ name: "COUNTER", class_name: "Counter" }, { name: "OTHER", class_name: "Room", script_name: "chat" }] },
      kv_namespaces: [{ binding: "CACHE", id: "kv-id" }],
      r2_buckets: [{ binding: "FILES", bucket_name: "files" }],
      d1_databases: [{ binding: "DB", database_id: "d1-id", database_name: "main" }],
      services: [{ binding: "AUTH", service: "auth" }],
      queues: { producers: [{ binding: "JOBS", queue: "jobs" }] },
      version_metadata: { binding: "CF_VERSION_METADATA" },
      ai: { binding: "AI" },
    };
    expect(declaredBindings(config)).toEqual([
      { type: "json", name: "LIMITS", json: '{"max":3}' },
      { type: "durable_object_namespace", name: "COUNTER", class_name: "Counter" },
      { type: "durable_object_namespace", name: "OTHER", class_name: "Room", script_name: "chat" },
      { type: "kv_namespace", name: "CACHE", namespace_id: "kv-id" },
      { type: "r2_bucket", name: "FILES", bucket_name: "files" },
      { type: "d1", name: "DB", id: "d1-id" },
      { type: "service", name: "AUTH", service: "auth" },
      { type: "queue", name: "JOBS", queue_name: "jobs" },
      { type: "version_metadata", name: "CF_VERSION_METADATA" },
      { type: "ai", name: "AI" },
    ]);
  });

  it("lists nothing for a config without bindings", () => {
    expect(declaredBindings({ vars: { A: "b" } })).toEqual([]);
  });
});
