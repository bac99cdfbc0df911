import * as grpc from "@grpc/grpc-js";
import type { StatusResponse__Output } from "@tessera/proto/generated/tessera/tier/v1/StatusResponse";
import { loadTier } from "@tessera/proto/tier";

export interface TierStatusClient {
  ask(): Promise<StatusResponse__Output>;
  close(): void;
}

/** TierService.Status of the tier on `port`, as a gateway asks it. */
export function connectTierStatus(port: number): TierStatusClient {
  const client = new (loadTier().TierService)(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    ask: () =>
      new Promise((resolve, reject) =>
        client.Status({}, { deadline: Date.now() + 10_000 }, (error, response) =>
          error ? reject(error) : resolve(response!),
        ),
      ),
    close: () => client.close(),
  };
}
