import { lookup as dnsLookup } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { forbidden, type AppError } from "../../errors";
import { isInternalAddress } from "../../models/private-addresses";

/**
 * The connection pool of remote-model calls, with the address guard of URL imports
 * (models/import-http.ts) applied when the socket connects: a name is resolved once, by the
 * guarded lookup, and the connection goes to the address that was checked. A check before the
 * call would resolve the name a second time, and DNS may answer differently then (rebinding).
 * One per gateway: the consent (`allowInternal`) is the operator's, the same for every endpoint.
 */
export function remoteDispatcher(allowInternal: boolean): Dispatcher {
  const connector = buildConnector({ lookup: guardedLookup(allowInternal) });
  return new Agent({
    // net.connect skips `lookup` for IP literals, so those are checked here before connecting.
    connect: (options, callback) => {
      const host = options.hostname.replace(/^\[|\]$/g, "");
      if (!allowInternal && isIP(host) && isInternalAddress(host)) {
        callback(internalAddressRefused(options.hostname, host), null);
        return;
      }
      connector(options, callback);
    },
  });
}

/** Resolves like dns.lookup but fails when any answer is internal, so DNS cannot smuggle one in. */
function guardedLookup(allowInternal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const internal = allowInternal
        ? undefined
        : addresses.find(({ address }) => isInternalAddress(address));
      if (internal) return callback(internalAddressRefused(hostname, internal.address), "", 0);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

function internalAddressRefused(hostname: string, address: string): AppError {
  const shown = hostname === address ? hostname : `${hostname} (${address})`;
  return forbidden(
    `Refusing to connect to ${shown}: it is a loopback, private or link-local address. ` +
      `Remote models may reach internal addresses only when HF_ENDPOINT itself is on an internal network.`,
  );
}
