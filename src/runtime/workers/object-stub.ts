/**
 * How dosim's workers address an object on the namespace that runs it. An object reached by name
 * (idFromName, getByName) knows that name as `ctx.id.name` in workerd, and code reads it (the Agents
 * SDK names its agents by it); an id rebuilt from its string form carries no name. So an object
 * with a known name is addressed by it whenever its name gives the same id on that namespace.
 */

/** A stub of `objectId` on `namespace`, by `name` when that is the object's name there. */
export function objectStubOn(namespace: DurableObjectNamespace, objectId: string, name: string | undefined): DurableObjectStub {
  if (name !== undefined) {
    const id = namespace.idFromName(name);
    if (id.toString() === objectId) return namespace.get(id);
  }
  return namespace.get(namespace.idFromString(objectId));
}
