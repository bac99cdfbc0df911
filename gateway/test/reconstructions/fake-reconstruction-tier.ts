import * as grpc from "@grpc/grpc-js";
import { loadKServe } from "@tessera/proto/kserve";
import { loadReconstruction } from "@tessera/proto/reconstruction";
import type { ReconstructEvent } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructEvent";
import type { ReconstructRequest__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructRequest";
import type { ReconstructStart__Output } from "@tessera/proto/generated/tessera/reconstruction/v1/ReconstructStart";

/**
 * A stand-in for the tier's ReconstructionService that follows its contract (requests in order,
 * half-close, then events), scripted per test: it records what the gateway sent and answers
 * what the script writes. It also answers ServerReady, as the gateway's tier client asks.
 */
export interface FakeRun {
  start: ReconstructStart__Output;
  /** Frame indices in the order their images came, and the images' bytes. */
  frames: Array<{ index: number; data: Buffer }>;
  checkpoint: Buffer;
  /** Resolves when the gateway cancels the call. */
  cancelled: Promise<void>;
  isCancelled(): boolean;
}

export interface FakeCall {
  send(event: ReconstructEvent): void;
  fail(code: grpc.status, details: string): void;
  end(): void;
}

export type FakeScript = (run: FakeRun, call: FakeCall) => Promise<void>;

export interface FakeReconstructionTier {
  url: string;
  runs: FakeRun[];
  script: FakeScript;
  /** When set, the start message is refused at once, as the tier refuses bad settings before reading frames. */
  refuseStart: { code: grpc.status; details: string } | null;
  stop(): Promise<void>;
}

export async function startFakeReconstructionTier(script: FakeScript): Promise<FakeReconstructionTier> {
  const server = new grpc.Server();
  const fake: FakeReconstructionTier = { url: "", runs: [], script, refuseStart: null, stop: async () => {} };
  server.addService(loadKServe().GRPCInferenceService.service, {
    ServerReady: (_call: unknown, callback: grpc.sendUnaryData<{ ready: boolean }>) =>
      callback(null, { ready: true }),
  });
  server.addService(loadReconstruction().ReconstructionService.service, {
    Reconstruct: (call: grpc.ServerDuplexStream<ReconstructRequest__Output, ReconstructEvent>) => {
      let cancelled = false;
      const run: Partial<FakeRun> & { frames: FakeRun["frames"]; parts: Buffer[] } = {
        frames: [],
        parts: [],
        cancelled: new Promise<void>((resolve) =>
          call.on("cancelled", () => {
            cancelled = true;
            resolve();
          }),
        ),
        isCancelled: () => cancelled,
      };
      call.on("data", (request: ReconstructRequest__Output) => {
        if (request.start && fake.refuseStart) call.emit("error", fake.refuseStart);
        else if (request.start) run.start = request.start;
        else if (request.frame) run.frames.push({ index: request.frame.index, data: request.frame.data });
        else if (request.checkpoint) run.parts.push(request.checkpoint.data);
      });
      call.on("end", () => {
        const done: FakeRun = { ...(run as FakeRun), checkpoint: Buffer.concat(run.parts) };
        fake.runs.push(done);
        const fakeCall: FakeCall = {
          send: (event) => {
            if (!cancelled) call.write(event);
          },
          fail: (code, details) => call.emit("error", { code, details }),
          end: () => call.end(),
        };
        fake
          .script(done, fakeCall)
          .catch((error: unknown) =>
            fakeCall.fail(grpc.status.INTERNAL, error instanceof Error ? error.message : String(error)),
          );
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  fake.url = `127.0.0.1:${port}`;
  fake.stop = () =>
    new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown());
  return fake;
}

/** An artifact in two chunks, as the tier splits large ones. */
export function artifactEvents(
  kind: "MESH_GLB" | "POINT_CLOUD_PLY" | "RENDER_PNG" | "TURNTABLE_PNG" | "PREVIEW_PNG",
  number: number,
  data: Buffer,
): ReconstructEvent[] {
  const half = Math.ceil(data.length / 2);
  return [
    {
      artifact: {
        kind,
        number,
        content_type: "x/ignored",
        file_name: "",
        data: data.subarray(0, half),
        last: false,
      },
    },
    {
      artifact: {
        kind,
        number,
        content_type: "x/ignored",
        file_name: "",
        data: data.subarray(half),
        last: true,
      },
    },
  ];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
