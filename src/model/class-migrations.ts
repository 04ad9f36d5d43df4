/**
 * Durable Object class migrations (the `migrations` array of a wrangler config), read as the
 * platform applies them (Cloudflare docs, "Durable Objects migrations"; wrangler's
 * `getDurableObjectClassNameToUseSQLiteMap`):
 * - a new class gets storage of its own;
 * - `renamed_classes` moves a class's objects and their stored data to the new name: the same
 *   objects, with the same ids, now served by the new class;
 * - `deleted_classes` deletes a class with all its objects and their stored data;
 * - within one migration, deletions apply first, then renames, then new classes (wrangler's order).
 * A class's *storage* is named after the class that created it, and follows it through renames;
 * that name is what its objects' ids and stored data hang on.
 */
import { fail, ok, type Result } from "./errors.js";

/** A class moved from one name to another (`renamed_classes`). */
export interface ClassRename {
  readonly from: string;
  readonly to: string;
}

/** One entry of a config's `migrations` array, as wrangler reads it. */
export interface ClassMigration {
  readonly tag: string;
  readonly new_classes?: readonly string[];
  readonly new_sqlite_classes?: readonly string[];
  readonly renamed_classes?: readonly ClassRename[];
  readonly deleted_classes?: readonly string[];
  readonly transferred_classes?: readonly { readonly from?: string; readonly from_script?: string; readonly to?: string }[];
}

/** Where a class's objects keep their data. */
export interface ClassStorage {
  /** The storage's name: the class that created it (a later class of the same name gets `Name@tag`). */
  readonly storage: string;
  readonly sqlite: boolean;
}

/** What applying some migrations does to stored data: storages deleted, classes renamed. */
export interface MigrationEffects {
  readonly renamed: readonly ClassRename[];
  /** The deleted classes with the storage their objects' data was in. */
  readonly deleted: readonly { readonly className: string; readonly storage: string }[];
}

function refuse(message: string): Result<never> {
  return fail("invalid-migration", message);
}

/** Applies one migration to the classes' storages; refuses what wrangler refuses. */
function applyOne(classes: Map<string, ClassStorage>, migration: ClassMigration, effects: { renamed: ClassRename[]; deleted: { className: string; storage: string }[] }): Result<void> {
  if ((migration.transferred_classes ?? []).length > 0) {
    return fail(
      "transferred-classes-unsupported",
      `Migration "${migration.tag}" has transferred_classes: dosim simulates one Worker, so it cannot move Durable Objects from another Worker; leave the transfer out of the config you give dosim.`,
    );
  }
  for (const className of migration.deleted_classes ?? []) {
    const storage = classes.get(className);
    if (storage === undefined) return refuse(`Migration "${migration.tag}" deletes the class ${className}, which no earlier migration created; fix deleted_classes.`);
    classes.delete(className);
    effects.deleted.push({ className, storage: storage.storage });
  }
  for (const rename of migration.renamed_classes ?? []) {
    const storage = classes.get(rename.from);
    if (storage === undefined) return refuse(`Migration "${migration.tag}" renames the class ${rename.from}, which no earlier migration created; fix renamed_classes.`);
    if (classes.has(rename.to)) return refuse(`Migration "${migration.tag}" renames ${rename.from} to ${rename.to}, which exists already; fix renamed_classes.`);
    classes.delete(rename.from);
    classes.set(rename.to, storage);
    effects.renamed.push({ from: rename.from, to: rename.to });
  }
  const created = [...(migration.new_classes ?? []).map((name) => [name, false] as const), ...(migration.new_sqlite_classes ?? []).map((name) => [name, true] as const)];
  for (const [className, sqlite] of created) {
    if (classes.has(className)) return refuse(`Migration "${migration.tag}" creates the class ${className}, which exists already; fix new_classes or new_sqlite_classes.`);
    // A name whose old storage lives on under another name (a rename) gets storage of its own.
    const storage = [...classes.values()].some((entry) => entry.storage === className) ? `${className}@${migration.tag}` : className;
    classes.set(className, { storage, sqlite });
  }
  return ok(undefined);
}

/** The class → storage map after all of `migrations`, or the first migration that cannot apply. */
export function classStorages(migrations: readonly ClassMigration[]): Result<ReadonlyMap<string, ClassStorage>> {
  const classes = new Map<string, ClassStorage>();
  for (const migration of migrations) {
    const applied = applyOne(classes, migration, { renamed: [], deleted: [] });
    if (!applied.ok) return applied;
  }
  return ok(classes);
}

/**
 * What a full deploy of a config with `migrations` does, when the platform had applied
 * `appliedTag` before: the migrations after that tag apply (all of them when the tag is absent
 * or not in the list, as wrangler then applies every migration it has).
 */
export function migrationEffects(migrations: readonly ClassMigration[], appliedTag: string | undefined): Result<MigrationEffects> {
  const start = appliedTag === undefined ? 0 : migrations.findIndex((migration) => migration.tag === appliedTag) + 1;
  const classes = new Map<string, ClassStorage>();
  const effects = { renamed: [] as ClassRename[], deleted: [] as { className: string; storage: string }[] };
  for (const [index, migration] of migrations.entries()) {
    const applied = applyOne(classes, migration, index >= start ? effects : { renamed: [], deleted: [] });
    if (!applied.ok) return applied;
  }
  return ok(effects);
}

/**
 * Refuses a binding to a class the migrations deleted or renamed away: the platform has no such
 * class any more (a class no migration ever named is left alone, as configs without migrations are).
 */
export function checkBoundClasses(boundClasses: readonly string[], migrations: readonly ClassMigration[]): Result<void> {
  const storages = classStorages(migrations);
  if (!storages.ok) return storages;
  const named = new Set(migrations.flatMap((migration) => [...(migration.new_classes ?? []), ...(migration.new_sqlite_classes ?? []), ...(migration.renamed_classes ?? []).map((rename) => rename.from)]));
  const gone = boundClasses.find((className) => named.has(className) && !storages.value.has(className));
  if (gone === undefined) return ok(undefined);
  return refuse(`A Durable Object binding names the class ${gone}, which a migration renamed or deleted; bind the class it was renamed to, or remove the binding.`);
}
