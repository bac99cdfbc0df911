import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ProtoGrpcType } from "../generated/tasks";
import { protoLoaderOptions } from "./kserve";

export type TasksPackage = ProtoGrpcType["tessera"]["tasks"]["v1"];

let loaded: TasksPackage | undefined;

/** The `tessera.tasks.v1` package of proto/tessera/tasks.proto, with the KServe loader options. */
export function loadTasks(): TasksPackage {
  if (loaded) return loaded;
  const definition = protoLoader.loadSync("tessera/tasks.proto", protoLoaderOptions);
  loaded = (grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType).tessera.tasks.v1;
  return loaded;
}
