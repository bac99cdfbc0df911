import type * as http2 from "node:http2";
import type * as grpc from "@grpc/grpc-js";

/**
 * HTTP/2's default flow-control window (64 KiB per stream and per connection) lets a client send
 * only 64 KiB before it waits for the tier's WINDOW_UPDATE: a 4.8 MB ModelInfer request (8 images
 * at 224×224, float32) took some 75 round trips through the tier's event loop, each a wait for the
 * loop (and, on a busy host, for the process) to be scheduled. The tier answers clients it trusts
 * with up to INFERENCE_MAX_MESSAGE_BYTES per message anyway, so it opens the window to `bytes` for
 * every connection and stream and lets frames be as large as HTTP/2 allows.
 *
 * grpc-js has no server option for this (only its client takes grpc-node.flow_control_window), so
 * the HTTP/2 servers are reached through its `http2Servers` field after binding. Should a grpc-js
 * release rename it, this returns false and the tier runs as before, with the default window.
 */
export function widenFlowControlWindow(server: grpc.Server, bytes: number): boolean {
  const http2Servers = (server as unknown as { http2Servers?: unknown }).http2Servers;
  if (!(http2Servers instanceof Map)) return false;
  for (const http2Server of http2Servers.keys() as Iterable<http2.Http2Server>) {
    http2Server.on("session", (session: http2.ServerHttp2Session) => {
      session.settings({ initialWindowSize: bytes, maxFrameSize });
      session.setLocalWindowSize(bytes);
    });
  }
  return http2Servers.size > 0;
}

/** 16 MiB in flight per connection: a batch of 32 images at 224×224 in float32 is 19 MB. */
export const flowControlWindowBytes = 16 * 1024 * 1024;

/** Largest frame HTTP/2 allows: fewer frames, so fewer 'data' callbacks on the tier's event loop. */
const maxFrameSize = 2 ** 24 - 1;
