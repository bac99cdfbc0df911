import type { Dispatcher } from "undici";
import { forbidden, type AppError } from "../../errors";
import { guardedAgent } from "../../models/guarded-agent";

/**
 * The connection pool of remote-model calls, with the address guard of URL imports
 * (models/import-http.ts) applied when the socket connects: a name is resolved once, by the
 * guarded lookup, and the connection goes to the address that was checked. A check before the
 * call would resolve the name a second time, and DNS may answer differently then (rebinding).
 * One per gateway: the consent (`allowInternal`) is the operator's, the same for every endpoint.
 */
export function remoteDispatcher(allowInternal: boolean): Dispatcher {
  return guardedAgent({ allowInternal, refusal: internalAddressRefused });
}

function internalAddressRefused(hostname: string, address: string): AppError {
  const shown = hostname === address ? hostname : `${hostname} (${address})`;
  return forbidden(
    `Refusing to connect to ${shown}: it is a loopback, private or link-local address. ` +
      `Remote models may reach internal addresses only when HF_ENDPOINT itself is on an internal network.`,
  );
}
