/**
 * The shape a host manifest (`dosim-host.json`) must have to be used, as a zod schema. It checks
 * what the host reads back (each version's record, where its code and config are, the first
 * state) and lets other fields pass, so a manifest written by a newer dosim with more in it
 * still reads; a manifest of the wrong shape is refused before anything uses it.
 */
import { z } from "zod";

const text = z.string();

/** A version record: what the host and the control plane rely on. */
const VersionShape = z.looseObject({
  id: text.min(1),
  number: z.int().min(1),
  triggeredBy: text,
  createdAtMs: z.number(),
  vars: z.record(text, text),
  tag: text.optional(),
  message: text.optional(),
  migrationTag: text.optional(),
});

/** A Worker source as the manifest stores it. */
const StoredSourceShape = z.looseObject({
  configPath: text,
  name: text,
  main: text,
  compatibilityDate: text,
  compatibilityFlags: z.array(text),
  vars: z.record(text, text),
  durableObjects: z.array(z.looseObject({ binding: text, className: text })),
  sqliteClasses: z.array(z.tuple([text, z.boolean()])),
  migrationTag: text.optional(),
  versionMetadataBinding: text.optional(),
  passthroughOptions: z.record(text, z.unknown()),
});

const codeShape = {
  configPath: text,
  main: text.optional(),
  bundleFile: text,
  source: StoredSourceShape.optional(),
};

/** The manifest, as far as the host reads it. */
export const HostManifestShape = z.looseObject({
  workerName: text,
  seed: text,
  versions: z.array(z.looseObject({ version: VersionShape, ...codeShape })),
  labels: z.record(text, text).optional(),
  boot: z
    .looseObject({
      seed: text,
      nowMs: z.number(),
      draws: z.number(),
      state: z.looseObject({ name: text, versions: z.array(VersionShape), deployments: z.array(z.looseObject({ id: text })) }),
    })
    .optional(),
  pending: z.looseObject({ ...codeShape, label: text.optional(), reason: text }).optional(),
});

/** Why `value` is not a manifest: the first problem, with its path (`versions[0].bundleFile: ...`). */
export function manifestProblem(value: unknown): string | undefined {
  const parsed = HostManifestShape.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").replace(/^\./, "");
  return `${where === "" ? "the file" : where}: ${issue.message.replace(/^Invalid input: /, "")}`;
}
