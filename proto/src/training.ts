import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../generated/training";
import { protoLoaderOptions } from "./kserve";

export type TrainingPackage = ProtoGrpcType["tessera"]["training"]["v1"];

let loaded: TrainingPackage | undefined;

/** The `tessera.training.v1` package of proto/tessera/training.proto, with the KServe loader options. */
export function loadTraining(): TrainingPackage {
  if (loaded) return loaded;
  const definition = protoLoader.loadSync("tessera/training.proto", protoLoaderOptions);
  loaded = (grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType).tessera.training.v1;
  return loaded;
}
