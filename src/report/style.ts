/**
 * Colours for terminal output: on only when writing to a terminal (and NO_COLOR is unset), so
 * files, pipes and CI logs get plain bytes that are the same in every run.
 */
import pc from "picocolors";

/** The colour functions a renderer uses. */
export type Style = ReturnType<typeof pc.createColors>;

/** Colours if `stream` is a terminal, none otherwise. */
export function styleFor(stream: { isTTY?: boolean } = process.stdout): Style {
  return pc.createColors(stream.isTTY === true && process.env.NO_COLOR === undefined);
}

/** No colours at all. */
export const PLAIN: Style = pc.createColors(false);
