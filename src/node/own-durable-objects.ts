/**
 * The Durable Object classes a wrangler config gives the Worker itself, in order: its bindings to
 * its own classes (no `script_name`, or the Worker's own name), then each class its migrations
 * declare that no binding names (reached through ctx.exports; Miniflare hosts it unbound). The
 * first is the Worker's default class: its namespace in `dosim plan`, a bare object name's class
 * in a scenario.
 */

/** The part of wrangler's config read here. */
export interface DurableObjectConfig {
  readonly name?: string;
  readonly durable_objects?: { readonly bindings?: readonly { readonly name: string; readonly class_name: string; readonly script_name?: string }[] };
}

/** One of the Worker's own classes, with its binding when one names it. */
export interface OwnDurableObject {
  readonly binding?: string;
  readonly className: string;
}

/** The Worker's own classes (see the module comment); `migrated` lists the classes its migrations leave. */
export function ownDurableObjects(config: DurableObjectConfig, migrated: Iterable<string>): OwnDurableObject[] {
  const bound = (config.durable_objects?.bindings ?? []).filter((binding) => binding.script_name === undefined || binding.script_name === config.name);
  const named = new Set(bound.map((binding) => binding.class_name));
  return [...bound.map((binding) => ({ binding: binding.name, className: binding.class_name })), ...[...migrated].filter((className) => !named.has(className)).map((className) => ({ className }))];
}
