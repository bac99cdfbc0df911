import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../generated/tier";
import { protoLoaderOptions } from "./kserve";

export type TierPackage = ProtoGrpcType["tessera"]["tier"]["v1"];

/**
 * Trailing metadata on every error status a tier answers itself. Its UNAVAILABLE (a model still
 * loading, a tier draining) then differs from a connection that failed, which gRPC reports with
 * the same code: a gateway passes the call on either way, but marks only the latter tier down.
 */
export const tierErrorTrailer = "tessera-tier-error";

let loaded: TierPackage | undefined;

/** The `tessera.tier.v1` package of proto/tessera/tier.proto, with the KServe loader options. */
export function loadTier(): TierPackage {
  if (loaded) return loaded;
  const definition = protoLoader.loadSync("tessera/tier.proto", protoLoaderOptions);
  loaded = (grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType).tessera.tier.v1;
  return loaded;
}
