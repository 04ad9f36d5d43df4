/**
 * The bindings a wrangler config declares, as the platform's API lists them in a version's
 * `resources.bindings` (the metadata binding types wrangler uploads: `durable_object_namespace`,
 * `kv_namespace`, `r2_bucket`, `d1`, `service`, …). Vars and secrets are listed by the API shape
 * from the version itself (`plain_text`, `json`, `secret_text`), so they are not repeated here.
 */
import type { DeclaredBinding } from "../model/types.js";

type Entries = readonly Record<string, unknown>[] | undefined;

/** `[{ binding|name, ... }]` entries of one kind, with the API's fields picked from each. */
function each(entries: Entries, type: string, nameKey: string, fields: Readonly<Record<string, string>>): DeclaredBinding[] {
  return (entries ?? []).flatMap((entry) => {
    const name = entry[nameKey];
    if (typeof name !== "string") return [];
    const extra: Record<string, string> = {};
    for (const [apiField, configField] of Object.entries(fields)) {
      const value = entry[configField];
      if (typeof value === "string") extra[apiField] = value;
    }
    return [{ type, name, ...extra }];
  });
}

/** One named binding (`[ai] binding = "AI"` and the like). */
function single(value: unknown, type: string): DeclaredBinding[] {
  const name = (value as { binding?: unknown } | undefined)?.binding;
  return typeof name === "string" ? [{ type, name }] : [];
}

/** The config's declared bindings, in a stable order (by kind as listed here, then as declared). */
export function declaredBindings(config: Record<string, unknown>): DeclaredBinding[] {
  const get = <T>(key: string): T | undefined => config[key] as T | undefined;
  const durableObjects = get<{ bindings?: Entries }>("durable_objects")?.bindings;
  const queues = get<{ producers?: Entries }>("queues")?.producers;
  const vars = get<Record<string, unknown>>("vars") ?? {};
  return [
    ...Object.entries(vars)
      .filter(([, value]) => typeof value !== "string")
      .map(([name, value]) => ({ type: "json", name, json: JSON.stringify(value) })),
    ...each(durableObjects, "durable_object_namespace", "name", { class_name: "class_name", script_name: "script_name", environment: "environment" }),
    ...each(get<Entries>("kv_namespaces"), "kv_namespace", "binding", { namespace_id: "id" }),
    ...each(get<Entries>("r2_buckets"), "r2_bucket", "binding", { bucket_name: "bucket_name", jurisdiction: "jurisdiction" }),
    ...each(get<Entries>("d1_databases"), "d1", "binding", { id: "database_id" }),
    ...each(get<Entries>("services"), "service", "binding", { service: "service", environment: "environment", entrypoint: "entrypoint" }),
    ...each(queues, "queue", "binding", { queue_name: "queue" }),
    ...each(get<Entries>("analytics_engine_datasets"), "analytics_engine", "binding", { dataset: "dataset" }),
    ...each(get<Entries>("vectorize"), "vectorize", "binding", { index_name: "index_name" }),
    ...each(get<Entries>("hyperdrive"), "hyperdrive", "binding", { id: "id" }),
    ...each(get<Entries>("mtls_certificates"), "mtls_certificate", "binding", { certificate_id: "certificate_id" }),
    ...each(get<Entries>("workflows"), "workflow", "binding", { workflow_name: "name", class_name: "class_name", script_name: "script_name" }),
    ...each(get<Entries>("dispatch_namespaces"), "dispatch_namespace", "binding", { namespace: "namespace" }),
    ...each(get<Entries>("send_email"), "send_email", "name", { destination_address: "destination_address" }),
    ...each(get<Entries>("ratelimits"), "ratelimit", "name", { namespace_id: "namespace_id" }),
    ...each(get<Entries>("secrets_store_secrets"), "secrets_store_secret", "binding", { store_id: "store_id", secret_name: "secret_name" }),
    ...single(get("version_metadata"), "version_metadata"),
    ...single(get("ai"), "ai"),
    ...single(get("browser"), "browser"),
    ...single(get("images"), "images"),
    ...single(get("assets"), "assets"),
  ];
}
