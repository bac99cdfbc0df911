import * as grpc from "@grpc/grpc-js";
import type { ExportModelRequest } from "@tessera/proto/generated/tessera/training/v1/ExportModelRequest";
import type { TrainEvent__Output } from "@tessera/proto/generated/tessera/training/v1/TrainEvent";
import type { TrainRequest } from "@tessera/proto/generated/tessera/training/v1/TrainRequest";
import type { TrainingImage } from "@tessera/proto/generated/tessera/training/v1/TrainingImage";
import type { TrainingServiceClient } from "@tessera/proto/generated/tessera/training/v1/TrainingService";
import { loadTraining } from "@tessera/proto/training";

/** How a stream ended: its events and, unless it finished, the error status. */
export interface TrainOutcome {
  events: TrainEvent__Output[];
  error: grpc.ServiceError | null;
}

/** A TrainingService client built the way the gateway builds it: from loadTraining(). */
export class TrainingTestClient {
  readonly client: TrainingServiceClient;

  constructor(port: number) {
    const { TrainingService } = loadTraining();
    this.client = new TrainingService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  missingImages(sha256: string[]): Promise<string[]> {
    return new Promise((resolve, reject) =>
      this.client.MissingImages({ sha256 }, (error, response) =>
        error ? reject(error) : resolve(response!.sha256),
      ),
    );
  }

  /** Sends `messages` (each a list of images) on one PutImages stream; the count stored. */
  putImages(messages: TrainingImage[][]): Promise<number> {
    return new Promise((resolve, reject) => {
      const call = this.client.PutImages((error, response) =>
        error ? reject(error) : resolve(response!.stored),
      );
      for (const images of messages) call.write({ images });
      call.end();
    });
  }

  /** Starts Train; `onEvent` may cancel the call through the returned handle. */
  train(
    request: TrainRequest,
    onEvent: (
      event: TrainEvent__Output,
      call: grpc.ClientReadableStream<TrainEvent__Output>,
    ) => void = () => {},
  ): Promise<TrainOutcome> {
    return new Promise((resolve) => {
      const call = this.client.Train(request);
      const events: TrainEvent__Output[] = [];
      call.on("data", (event: TrainEvent__Output) => {
        events.push(event);
        onEvent(event, call);
      });
      call.on("error", (error: grpc.ServiceError) => resolve({ events, error }));
      call.on("end", () => resolve({ events, error: null }));
    });
  }

  exportModel(request: ExportModelRequest): Promise<{ chunks: Buffer[]; totals: number[] }> {
    return new Promise((resolve, reject) => {
      const call = this.client.ExportModel(request);
      const chunks: Buffer[] = [];
      const totals: number[] = [];
      call.on("data", (chunk: { data: Buffer; total_bytes: number }) => {
        chunks.push(chunk.data);
        totals.push(chunk.total_bytes);
      });
      call.on("error", reject);
      call.on("end", () => resolve({ chunks, totals }));
    });
  }

  close(): void {
    this.client.close();
  }
}
