/**
 * Reading a config's class lifecycle: what dosim cannot simulate is refused with a code that names
 * the limitation, never ignored (Cloudflare docs, "Durable Objects migrations": transfers move
 * objects between Workers; the declarative `exports` field replaces `migrations`).
 */
import { describe, expect, it } from "vitest";
import { readWorkerSource } from "../../src/runtime/config.js";
import { withMigrations } from "../../src/runtime/class-lifecycle.js";

const DIR = "test/fixtures/workers/class-migrations";

function refusedWith(read: () => unknown): { code: string; message: string } {
  try {
    read();
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error("expected a refusal");
}

describe("a config's Durable Object class lifecycle", () => {
  it("maps a renamed class to the storage it came from", () => {
    expect(readWorkerSource(`${DIR}/renamed.toml`).classStorages).toEqual({ Tally: "Counter", Scratch: "Scratch" });
    expect(readWorkerSource(`${DIR}/deleted.toml`).classStorages).toEqual({ Tally: "Counter" });
  });

  it("refuses transferred_classes, naming the limitation", () => {
    const error = refusedWith(() => readWorkerSource(`${DIR}/transferred.toml`));
    expect(error.code).toBe("transferred-classes-unsupported");
    expect(error.message).toMatch(/^test\/fixtures\/workers\/class-migrations\/transferred\.toml: Migration "v2" has transferred_classes: .*another Worker/);
  });

  it("refuses the declarative exports field, naming the limitation", () => {
    const error = refusedWith(() => readWorkerSource(`${DIR}/exports.jsonc`));
    expect(error.code).toBe("class-exports-unsupported");
    expect(error.message).toMatch(/"exports" form of Durable Object class lifecycle is not supported/);
  });

  it("refuses migrations a scenario adds that bind a class they delete", () => {
    const source = readWorkerSource(`${DIR}/wrangler.toml`);
    const error = refusedWith(() => withMigrations(source, [{ tag: "v2", deleted_classes: ["Scratch"] }]));
    expect(error.code).toBe("invalid-migration");
    expect(error.message).toMatch(/binding names the class Scratch/);
    expect(withMigrations(source, [{ tag: "v2", new_classes: ["Extra"] }]).migrationTag).toBe("v2");
  });
});
