import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/**
 * A KServe v2 client as any user would build one from proto/kserve/grpc_service.proto: nothing of
 * the tier's own code, only the protocol.
 */
const definition = protoLoader.loadSync("kserve/grpc_service.proto", {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [fileURLToPath(new URL("../../../proto", import.meta.url))],
});
const { inference } = grpc.loadPackageDefinition(definition) as unknown as {
  inference: { GRPCInferenceService: typeof grpc.Client };
};

type Unary = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: grpc.requestCallback<object>,
) => grpc.ClientUnaryCall;

// Answers are read field by field in tests; their shape is the protocol's, checked by the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = any;

export interface KServeTestClient {
  call(rpc: string, request?: object, options?: { deadlineMs?: number }): Promise<Answer>;
  /** Starts a call and hands back the means to cancel it. */
  start(rpc: string, request: object): { answer: Promise<Answer>; cancel(): void };
  close(): void;
}

export function connectKServe(port: number): KServeTestClient {
  const client = new inference.GRPCInferenceService(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
    "grpc.max_receive_message_length": 256 * 1024 * 1024,
    "grpc.max_send_message_length": 256 * 1024 * 1024,
  });
  const start = (rpc: string, request: object, deadlineMs = 30_000) => {
    const method = (client as unknown as Record<string, Unary>)[rpc]!.bind(client);
    let call: grpc.ClientUnaryCall | undefined;
    const answer = new Promise<Answer>((resolve, reject) => {
      call = method(request, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      );
    });
    return { answer, cancel: () => call?.cancel() };
  };
  return {
    call: (rpc, request = {}, options = {}) => start(rpc, request, options.deadlineMs).answer,
    start: (rpc, request) => start(rpc, request),
    close: () => client.close(),
  };
}

/** The error a call rejected with, or a failure if it succeeded. */
export async function callError(answer: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await answer;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
