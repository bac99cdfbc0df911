import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../generated/grpc_service";

/** This package's folder (the repository's proto/), the include root of every .proto file. */
export const protoRoot = fileURLToPath(new URL("..", import.meta.url));

/**
 * How decoded messages look at run time. These must stay the flags of proto-loader-gen-types in
 * this package's "generate" script, or the generated types would describe other objects:
 * proto field names as written (snake_case), 64-bit integers as JS numbers (exact up to 2^53:
 * shapes, counts and nanosecond totals stay far below), enums as their names, absent fields as
 * their defaults and the name of the set member of each oneof.
 */
export const protoLoaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};

export type KServePackage = ProtoGrpcType["inference"];

let loaded: KServePackage | undefined;

/** The `inference` package of proto/kserve/grpc_service.proto: message types and the service. */
export function loadKServe(): KServePackage {
  if (loaded) return loaded;
  const definition = protoLoader.loadSync("kserve/grpc_service.proto", protoLoaderOptions);
  loaded = (grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType).inference;
  return loaded;
}
