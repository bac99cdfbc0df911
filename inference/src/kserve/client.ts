import * as grpc from "@grpc/grpc-js";
import type { GrpcAddress } from "@tessera/proto/address";
import type { GRPCInferenceServiceDefinition } from "@tessera/proto/generated/inference/GRPCInferenceService";
import { loadKServe } from "@tessera/proto/kserve";
import { flowControlWindowBytes } from "./flow-control";

interface UnaryMethod<Request, Response> {
  path: string;
  requestSerialize: (value: Request) => Buffer;
  responseDeserialize: (bytes: Buffer) => Response;
}

type KnownKeys<T> = keyof { [K in keyof T as string extends K ? never : K]: T[K] };
export type KServeRpc = KnownKeys<GRPCInferenceServiceDefinition>;
export type KServeRequest<R extends KServeRpc> =
  GRPCInferenceServiceDefinition[R] extends UnaryMethod<infer Request, infer _Response> ? Request : never;
export type KServeResponse<R extends KServeRpc> =
  GRPCInferenceServiceDefinition[R] extends UnaryMethod<infer _Request, infer Response> ? Response : never;

export interface KServeCallOptions {
  deadlineMs?: number;
  /** Cancels the call on the server. */
  signal?: AbortSignal;
}

/** A KServe v2 / Triton gRPC client over the same proto/ the tier serves. */
export class KServeClient {
  private readonly client: grpc.Client;

  constructor(
    readonly address: GrpcAddress,
    maxMessageBytes: number,
  ) {
    const credentials = address.secure ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    this.client = new grpc.Client(address.target, credentials, {
      "grpc.max_receive_message_length": maxMessageBytes,
      "grpc.max_send_message_length": maxMessageBytes,
      // Large answers (embeddings, masks) would otherwise arrive 64 KiB per round trip.
      "grpc-node.flow_control_window": flowControlWindowBytes,
    });
  }

  /** Rejects with the grpc.ServiceError the server answered. */
  call<R extends KServeRpc>(
    rpc: R,
    request: KServeRequest<R>,
    options: KServeCallOptions = {},
  ): Promise<KServeResponse<R>> {
    const method = loadKServe().GRPCInferenceService.service[rpc] as unknown as UnaryMethod<
      KServeRequest<R>,
      KServeResponse<R>
    >;
    const callOptions: grpc.CallOptions = options.deadlineMs
      ? { deadline: Date.now() + options.deadlineMs }
      : {};
    return new Promise((resolve, reject) => {
      const call = this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        new grpc.Metadata(),
        callOptions,
        (error, response) => {
          options.signal?.removeEventListener("abort", cancel);
          if (error) reject(error);
          else resolve(response!);
        },
      );
      const cancel = () => call.cancel();
      options.signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  close(): void {
    this.client.close();
  }
}
