/**
 * What the tier tells a parent process over the IPC channel when one started it with
 * `stdio: [..., "ipc"]` (the gateway's local tier does). "listening" carries the port, which
 * matters when the tier was asked for port 0, and only comes from the process that actually bound
 * it, so a parent never mistakes another server already on that port for its own child.
 * "failed" carries why the tier could not start, whatever the log level.
 */
export type TierParentMessage =
  | { type: "tessera-inference:listening"; host: string; port: number }
  | { type: "tessera-inference:failed"; reason: string };

export function isTierParentMessage(message: unknown): message is TierParentMessage {
  const type = (message as { type?: unknown } | null)?.type;
  return type === "tessera-inference:listening" || type === "tessera-inference:failed";
}

export const tierListening = (host: string, port: number): TierParentMessage => ({
  type: "tessera-inference:listening",
  host,
  port,
});

export const tierFailed = (reason: string): TierParentMessage => ({
  type: "tessera-inference:failed",
  reason,
});
