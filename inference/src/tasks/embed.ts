import type { EmbedRequest__Output } from "@tessera/proto/generated/tessera/tasks/v1/EmbedRequest";
import type { EmbedResponse } from "@tessera/proto/generated/tessera/tasks/v1/EmbedResponse";
import { invalidArgument } from "../runtime/errors";
import { backboneEmbeddings } from "./backbone-embedding";
import { featureEmbedderModel } from "./embedding/built-in-model";
import { checkDimension } from "./embedding/feature-embedder";
import { requestedEmbedderVersion } from "./embedding/requested-version";
import { l2Normalised } from "./embedding/vector-norms";
import type { TaskContext } from "./task-context";

/** Seed of the projections that change the width of ML and HYBRID vectors (FEATURE has its own). */
export const reductionSeed = 0x3b1d5e07;

/**
 * Images → one L2-normalised vector each. FEATURE: the built-in embedder. ML: the backbone's
 * pooled output. HYBRID: the built-in vector (256 values) and the backbone's, each of unit length,
 * concatenated with equal weight. A `dimension` other than the natural width projects ML and
 * HYBRID vectors with a fixed seeded orthogonal projection and re-normalises them.
 */
export async function embed(
  context: TaskContext,
  request: EmbedRequest__Output,
  signal: AbortSignal,
  maxImages: number,
): Promise<Omit<EmbedResponse, "latency_ms">> {
  const { images, method } = request;
  if (images.length === 0) throw invalidArgument("Embed needs at least one image; got none");
  if (images.length > maxImages) {
    throw invalidArgument(`Embed takes at most ${maxImages} images per call; got ${images.length}`);
  }
  if (request.dimension) checkDimension(request.dimension);

  if (method === "FEATURE") {
    // The backbone fields may name the built-in embedder's version ("feature-embedder", "2").
    const version = requestedEmbedderVersion(request.backbone_model_name, request.backbone_model_version);
    if (!version) {
      throw invalidArgument(
        `FEATURE embeddings come from the built-in embedder and take no backbone; got backbone "${request.backbone_model_name}" (use ML or HYBRID)`,
      );
    }
    const dimension = request.dimension || featureEmbedderModel.defaultDimension;
    const vectors = await context.embedder.embed(images, { dimension, version, signal });
    return response(vectors, method, { name: featureEmbedderModel.name, version });
  }

  if (!request.backbone_model_name) {
    throw invalidArgument(`${method} embeddings need backbone_model_name, the ONNX model to embed with`);
  }
  const model = context.runner.describe(
    request.backbone_model_name,
    request.backbone_model_version || undefined,
  );
  const [learned, features] = await Promise.all([
    backboneEmbeddings(context, model, images, signal),
    method === "HYBRID" ? context.embedder.embed(images, { signal }) : undefined,
  ]);
  const vectors = features ? learned.map((vector, index) => halfAndHalf(features[index]!, vector)) : learned;
  const width = vectors[0]!.length;
  const reduced =
    request.dimension && request.dimension !== width
      ? await context.embedder.reduce(vectors, request.dimension, reductionSeed, signal)
      : vectors;
  return response(reduced, method, model);
}

/** Two unit vectors side by side, re-normalised: each carries half the length, neither dominates. */
function halfAndHalf(first: Float32Array, second: Float32Array): Float32Array {
  const joined = new Float32Array(first.length + second.length);
  joined.set(first);
  joined.set(second, first.length);
  return l2Normalised(joined);
}

function response(
  vectors: Float32Array[],
  method: EmbedRequest__Output["method"],
  model: { name: string; version: string },
): Omit<EmbedResponse, "latency_ms"> {
  return {
    embeddings: vectors.map((vector) => ({ values: Array.from(vector) })),
    dimension: vectors[0]?.length ?? 0,
    method,
    model_name: model.name,
    model_version: model.version,
  };
}
