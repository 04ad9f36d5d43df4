/**
 * The request bodies of the account API, validated with zod before anything reads them: a body of
 * the wrong shape is a 400 with a message that names the field, never a 500.
 */
import { z } from "zod";

/** A `POST /deployments` body (Cloudflare's shape; `code_update_strategy` is checked by the model's reader). */
export const DeploymentBody = z.looseObject({
  versions: z
    .array(
      z.looseObject({
        version_id: z.string({ error: "version_id must be a version id or tag (text)" }),
        percentage: z.union([z.number(), z.string()], { error: "percentage must be a number from 0 to 100" }).nullish(),
      }),
      { error: "versions must be a list of { version_id, percentage }" },
    )
    .optional(),
  annotations: z.record(z.string(), z.unknown(), { error: "annotations must be a map of annotation → value" }).optional(),
});

/** The first problem of a body that fails `schema`, as one line naming the field. */
export function bodyProblem(schema: z.ZodType, body: unknown): string | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`)).join("").replace(/^\./, "");
  return `${where === "" ? "The body" : where}: ${issue.message.replace(/^Invalid input: /, "")}.`;
}

/** `decodeURIComponent`, or undefined for a malformed `%`-escape. */
export function decodePathPart(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
