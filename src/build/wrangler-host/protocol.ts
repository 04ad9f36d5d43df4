/**
 * What dosim and its wrangler host say to each other, one JSON object a line on the host's fd 3
 * (a socket of its own: wrangler's output stays on the host's stdout and stderr, and wrangler's
 * `main` disconnects Node's IPC channel after each command, so IPC could carry only one build).
 */

/**
 * One dry run: wrangler's arguments, the folder it runs in, and its environment (the one a
 * process of its own would get, so that it holds dosim's environment as it is at this build).
 */
export interface HostRequest {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The host's answer to a request (`ok`: what wrangler's own launcher would have exited 0 for), or,
 * in place of any answer, that the installed wrangler cannot be run this way.
 */
export type HostReply = { readonly kind: "done"; readonly ok: boolean } | { readonly kind: "unsupported"; readonly reason: string };

/**
 * Written by the host to its stdout and to its stderr after each build, before its reply: all that
 * came before it on a stream is that build's output. Pipes do not keep order between one another,
 * so the reply alone does not say that a build's output has all arrived.
 */
export function outputEnd(nonce: string): string {
  return `\u0000dosim-wrangler-host-end:${nonce}\u0000`;
}
