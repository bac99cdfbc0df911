import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ModelRunner } from "../../../src/runtime/model-runner";
import { createTierLogger } from "../../../src/logger";
import { FeatureEmbedder } from "../../../src/tasks/embedding/feature-embedder";
import { addTaskService, createTaskServicer, type TaskServiceOptions } from "../../../src/tasks/task-service";

// The client is built straight from the proto file, as the gateway (or any user) builds one.
const definition = protoLoader.loadSync("tessera/tasks.proto", {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  includeDirs: [fileURLToPath(new URL("../../../../proto", import.meta.url))],
});
const { TaskService } = (
  grpc.loadPackageDefinition(definition) as unknown as {
    tessera: { tasks: { v1: { TaskService: typeof grpc.Client } } };
  }
).tessera.tasks.v1;

type Unary = (request: object, options: grpc.CallOptions, callback: grpc.requestCallback<unknown>) => void;

export interface TaskClient {
  /** Calls an RPC of TaskService and resolves with its answer or rejects with the gRPC error. */
  call<Response = Record<string, unknown>>(rpc: string, request: object): Promise<Response>;
  close(): void;
}

export interface TaskServer extends Omit<TaskClient, "close"> {
  embedder: FeatureEmbedder;
  close(): Promise<void>;
}

/** A TaskService client, built from the proto file, to a server on a local port. */
export function connectTaskService(port: number): TaskClient {
  const client = new TaskService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    call(rpc, request) {
      const method = (client as unknown as Record<string, Unary>)[rpc]!.bind(client);
      return new Promise((resolve, reject) =>
        method(request, { deadline: Date.now() + 30_000 }, (error, response) =>
          error ? reject(error) : resolve(response as never),
        ),
      );
    },
    close: () => client.close(),
  };
}

/** TaskService on a free local port over `runner`, with a client connected to it. */
export async function startTaskServer(
  runner: ModelRunner,
  options: TaskServiceOptions = {},
): Promise<TaskServer> {
  const embedder = new FeatureEmbedder({ workers: 2 });
  const server = new grpc.Server();
  addTaskService(server, createTaskServicer(runner, embedder, createTierLogger("silent"), options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const client = connectTaskService(port);
  return {
    embedder,
    call: client.call,
    async close() {
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      await embedder.close();
    },
  };
}
