/**
 * Object references: a bare name is the first class's, `Class:name` and `BINDING:name` name an
 * object of another class, a name may hold `:` after its class, and a class or binding the Worker
 * does not have is refused with the Worker's classes listed.
 */
import { describe, expect, it } from "vitest";
import { objectNameOf, resolveObjectRef } from "../../src/scenario/object-refs.js";

const BINDINGS = [
  { binding: "ROOMS", className: "Room" },
  { binding: "USERS", className: "User" },
];

describe("an object reference", () => {
  it("names an object of the first class when bare", () => {
    expect(resolveObjectRef("lobby", BINDINGS)).toEqual({ className: "Room", name: "lobby" });
  });

  it("names an object of a class, or of the class a binding holds", () => {
    expect(resolveObjectRef("User:ada", BINDINGS)).toEqual({ className: "User", name: "ada" });
    expect(resolveObjectRef("USERS:ada", BINDINGS)).toEqual({ className: "User", name: "ada" });
    expect(resolveObjectRef("Room:user:1", BINDINGS)).toEqual({ className: "Room", name: "user:1" });
    expect(objectNameOf("Room:user:1")).toBe("user:1");
    expect(objectNameOf("lobby")).toBe("lobby");
  });

  it("refuses a class or binding the Worker does not have, and an empty name", () => {
    expect(resolveObjectRef("Chat:lobby", BINDINGS)).toEqual({
      error: '"Chat" in "Chat:lobby" is not a Durable Object class or binding of the Worker (its classes (bindings): Room (ROOMS), User (USERS)); write Class:name, or a name without ":"',
    });
    expect(resolveObjectRef("User:", BINDINGS)).toEqual({ error: '"User:" names no object after "User:"; write User:<name>' });
    expect(resolveObjectRef("lobby", [])).toHaveProperty("error");
  });
});
