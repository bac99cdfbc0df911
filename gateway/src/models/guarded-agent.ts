import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector } from "undici";
import type { AppError } from "../errors";
import { isInternalAddress } from "./private-addresses";

/** Builds the error for a refused connection; `address` is the internal address that was found. */
export type InternalAddressRefusal = (hostname: string, address: string) => AppError;

export interface GuardedAgentOptions {
  /** Allow connections to loopback, private and link-local addresses. */
  allowInternal: boolean;
  refusal: InternalAddressRefusal;
  /** Time to open a TCP/TLS connection. Default: undici's. */
  connectTimeoutMs?: number;
  headersTimeout?: number;
  bodyTimeout?: number;
}

/**
 * A connection pool that refuses internal addresses when the socket connects: a name is resolved
 * once, by the guarded lookup, and the connection goes to the address that was checked. A check
 * before the call would resolve the name a second time, and DNS may answer differently then
 * (rebinding).
 */
export function guardedAgent(options: GuardedAgentOptions): Agent {
  const { allowInternal, refusal } = options;
  const connector = buildConnector({
    ...(options.connectTimeoutMs !== undefined && { timeout: options.connectTimeoutMs }),
    lookup: guardedLookup(allowInternal, refusal),
  });
  return new Agent({
    // net.connect skips `lookup` for IP literals, so those are checked here before connecting.
    connect: (connectOptions, callback) => {
      const host = connectOptions.hostname.replace(/^\[|\]$/g, "");
      if (!allowInternal && isIP(host) && isInternalAddress(host)) {
        callback(refusal(connectOptions.hostname, host), null);
        return;
      }
      connector(connectOptions, callback);
    },
    ...(options.headersTimeout !== undefined && { headersTimeout: options.headersTimeout }),
    ...(options.bodyTimeout !== undefined && { bodyTimeout: options.bodyTimeout }),
  });
}

/** Resolves like dns.lookup but fails when any answer is internal, so DNS cannot smuggle one in. */
export function guardedLookup(allowInternal: boolean, refusal: InternalAddressRefusal): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const internal = allowInternal
        ? undefined
        : addresses.find(({ address }) => isInternalAddress(address));
      if (internal) return callback(refusal(hostname, internal.address), "", 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}
