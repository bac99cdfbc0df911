import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/**
 * A ReconstructionService client as a gateway would build one from
 * proto/tessera/reconstruction.proto: nothing of the tier's own code, only the protocol.
 */
const definition = protoLoader.loadSync("tessera/reconstruction.proto", {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [fileURLToPath(new URL("../../../proto", import.meta.url))],
});
const { tessera } = grpc.loadPackageDefinition(definition) as unknown as {
  tessera: { reconstruction: { v1: { ReconstructionService: typeof grpc.Client } } };
};

// Events are read field by field in tests; their shape is the protocol's, checked by the tests.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ReconstructEvent = any;

export interface ReconstructCall {
  /** Every event, in order, as they arrive. */
  events: ReconstructEvent[];
  /** Resolves with the status the call ended with (OK, or the error's code and details). */
  status: Promise<{ code: grpc.status; details: string }>;
  /** Resolves at the first event `matches` accepts. */
  waitFor(matches: (event: ReconstructEvent) => boolean): Promise<ReconstructEvent>;
  cancel(): void;
}

export interface ReconstructClient {
  /**
   * Sends `messages` in order, half-closes (unless `halfClose` is false: a client still
   * sending), and collects what comes back.
   */
  reconstruct(messages: object[], options?: { halfClose?: boolean }): ReconstructCall;
  close(): void;
}

export function connectReconstruction(port: number): ReconstructClient {
  const client = new tessera.reconstruction.v1.ReconstructionService(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    { "grpc.max_receive_message_length": 64 * 1024 * 1024, "grpc.max_send_message_length": 64 * 1024 * 1024 },
  );
  return {
    reconstruct(messages, { halfClose = true } = {}) {
      const call = (
        client as unknown as {
          Reconstruct(options: grpc.CallOptions): grpc.ClientDuplexStream<object, ReconstructEvent>;
        }
      ).Reconstruct({ deadline: Date.now() + 120_000 });
      const events: ReconstructEvent[] = [];
      const waiters: Array<{
        matches: (event: ReconstructEvent) => boolean;
        resolve: (event: ReconstructEvent) => void;
      }> = [];
      call.on("data", (event: ReconstructEvent) => {
        events.push(event);
        for (const waiter of [...waiters]) {
          if (!waiter.matches(event)) continue;
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      });
      const status = new Promise<{ code: grpc.status; details: string }>((resolve) => {
        call.on("status", (status: grpc.StatusObject) =>
          resolve({ code: status.code, details: status.details }),
        );
        // An error event precedes its status; the status carries the same code.
        call.on("error", () => {});
      });
      for (const message of messages) call.write(message);
      if (halfClose) call.end();
      return {
        events,
        status,
        waitFor: (matches) =>
          new Promise((resolve, reject) => {
            const seen = events.find(matches);
            if (seen) return resolve(seen);
            waiters.push({ matches, resolve });
            void status.then((ended) =>
              reject(new Error(`the call ended (${ended.code} ${ended.details}) first`)),
            );
          }),
        cancel: () => call.cancel(),
      };
    },
    close: () => client.close(),
  };
}

/** Each event's kind, and for progress its phase, for artifacts its kind: the stream's shape at a glance. */
export function eventKinds(events: ReconstructEvent[]): string[] {
  return events.map((event: ReconstructEvent) => {
    if (event.progress) return `progress:${event.progress.phase}`;
    if (event.artifact) return `artifact:${event.artifact.kind}`;
    if (event.checkpoint) return "checkpoint";
    return "result";
  });
}

/** The artifacts of a stream, their chunks joined, in the order each finished. */
export function artifactsOf(
  events: ReconstructEvent[],
): Array<{ kind: string; number: number; fileName: string; contentType: string; bytes: Buffer }> {
  const artifacts = [];
  let chunks: Buffer[] = [];
  for (const event of events) {
    if (!event.artifact) continue;
    chunks.push(event.artifact.data);
    if (!event.artifact.last) continue;
    const { kind, number, file_name: fileName, content_type: contentType } = event.artifact;
    artifacts.push({ kind, number, fileName, contentType, bytes: Buffer.concat(chunks) });
    chunks = [];
  }
  return artifacts;
}
