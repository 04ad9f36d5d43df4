/**
 * Durable Object class migrations on the host: a version's migrations (its config's, plus those a
 * scenario adds), which storage each class reaches, and what a full deploy that applies new
 * migrations does to stored data (the rules are in src/model/class-migrations.ts).
 */
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { checkBoundClasses, classStorages, migrationEffects, type ClassMigration, type MigrationEffects } from "../model/class-migrations.js";
import { InputError } from "../model/input-error.js";
import { defaultUniqueKey } from "../model/object-ids.js";
import type { WorkerSource } from "./config.js";

/** The class → storage map of `migrations`, checked against the bound classes; refusals are input errors naming `shown`. */
export function readClassStorages(shown: string, migrations: readonly ClassMigration[], boundClasses: readonly string[]): Record<string, string> {
  const storages = classStorages(migrations);
  if (!storages.ok) throw new InputError(storages.error.code, `${shown}: ${storages.error.message}`);
  const bound = checkBoundClasses(boundClasses, migrations);
  if (!bound.ok) throw new InputError(bound.error.code, `${shown}: ${bound.error.message}`);
  return Object.fromEntries([...storages.value].map(([className, { storage }]) => [className, storage]));
}

/** `source` with `extra` migrations after the config's own (a scenario's version declaration). */
export function withMigrations(source: WorkerSource, extra: readonly ClassMigration[]): WorkerSource {
  if (extra.length === 0) return source;
  const migrations = [...(source.migrations ?? []), ...extra];
  const classStorages = readClassStorages(source.configPath, migrations, source.durableObjects.map((binding) => binding.className));
  const sqliteClasses = new Map(source.sqliteClasses);
  for (const migration of extra) for (const className of migration.new_sqlite_classes ?? []) sqliteClasses.set(className, true);
  return { ...source, migrations, classStorages, sqliteClasses, migrationTag: extra[extra.length - 1]!.tag };
}

/** What a full deploy of `source` does to classes, when the platform has applied `appliedTag`; undefined when nothing moves or goes. */
export function deployEffects(source: WorkerSource, appliedTag: string | undefined): MigrationEffects | undefined {
  if (source.migrations === undefined || source.migrationTag === appliedTag) return undefined;
  const effects = migrationEffects(source.migrations, appliedTag);
  if (!effects.ok) throw new InputError(effects.error.code, `${source.configPath}: ${effects.error.message}`);
  return effects.value.renamed.length + effects.value.deleted.length > 0 ? effects.value : undefined;
}

/**
 * Deletes the stored data of every object of the deleted classes: the files in the folder Miniflare
 * keeps under the namespace's unique key. The folder itself stays, as workerd made it at start and
 * opens objects' files in it (a class created anew under the name starts there, empty).
 */
export function deleteClassStorage(storageDir: string, workerName: string, effects: MigrationEffects): void {
  for (const { storage } of effects.deleted) {
    const dir = path.join(storageDir, defaultUniqueKey(workerName, storage));
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}
