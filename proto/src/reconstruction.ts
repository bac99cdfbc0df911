import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../generated/reconstruction";
import { protoLoaderOptions } from "./kserve";

export type ReconstructionPackage = ProtoGrpcType["tessera"]["reconstruction"]["v1"];

let loaded: ReconstructionPackage | undefined;

/** The `tessera.reconstruction.v1` package of proto/tessera/reconstruction.proto, with the KServe loader options. */
export function loadReconstruction(): ReconstructionPackage {
  if (loaded) return loaded;
  const definition = protoLoader.loadSync("tessera/reconstruction.proto", protoLoaderOptions);
  loaded = (grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType).tessera.reconstruction.v1;
  return loaded;
}
