import { parentPort } from "node:worker_threads";
import type { DescriptorAnswer, DescriptorJob, DescriptorRequest } from "./descriptor-jobs";
import { embedPixels } from "./image-descriptor";
import { orthogonalProjection } from "./orthogonal-projection";
import { embedShapePixels } from "./shape-descriptor";
import { l2Normalised } from "./vector-norms";

/** Runs in a worker thread: the descriptor arithmetic, kept off the tier's event loop. */
const port = parentPort;
if (!port) throw new Error("descriptor-worker must run in a worker thread");

port.on("message", (request: DescriptorRequest) => {
  let answer: DescriptorAnswer;
  try {
    answer = { id: request.id, vectors: run(request) };
  } catch (error) {
    answer = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  const transfer = "vectors" in answer ? answer.vectors.map((vector) => vector.buffer as ArrayBuffer) : [];
  port.postMessage(answer, transfer);
});

function run(job: DescriptorJob): Float32Array[] {
  switch (job.kind) {
    case "embed":
      return job.images.map((pixels) =>
        job.version === "2" ? embedShapePixels(pixels, job.dimension) : embedPixels(pixels, job.dimension),
      );
    case "reduce":
      return job.vectors.map((vector) => {
        const projection = orthogonalProjection(vector.length, job.dimension, job.seed);
        return l2Normalised(projection.project(vector));
      });
  }
}
