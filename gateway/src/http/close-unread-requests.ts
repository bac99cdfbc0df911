import type { RequestHandler } from "express";
import onHeaders from "on-headers";

/**
 * A request answered before its body has arrived (an upload refused for its target, its form or
 * its size before its file was read) ends its connection: the answer says `Connection: close`.
 *
 * Kept alive, the connection would hold the rest of the body in front of the client's next
 * request: nothing reads it, the keep-alive timeout drops the socket, and that next request fails
 * with ECONNRESET. Reading the rest before answering would keep the connection, but a refused
 * upload can be gigabytes (TESSERA_MAX_UPLOAD_BYTES) that the client would send for nothing;
 * closing makes it stop, as HTTP/1.1 servers do when they refuse a body early (RFC 9112 §9.6).
 */
export function closeUnreadRequests(): RequestHandler {
  return (req, res, next) => {
    // `complete`: the last byte of the body has arrived, whether a handler read it or not.
    onHeaders(res, () => {
      if (!req.complete) res.setHeader("Connection", "close");
    });
    next();
  };
}
