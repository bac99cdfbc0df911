import sharp from "sharp";
import type { GraphQLBody, TestGateway } from "../support/gateway";

export interface StoredPair {
  id: string;
  sessionId: string;
  instruction: string;
  userEmail: string;
  createdAt: string;
  originalUrl: string;
  transformedUrl: string;
  metadata: Record<string, unknown> | null;
}

export const pairFields = "id sessionId instruction userEmail createdAt originalUrl transformedUrl metadata";

const storeMutation = `mutation ($original: Upload!, $transformed: Upload!, $instruction: String!, $userEmail: String, $sessionId: String) {
  storeTrainingPair(original: $original, transformed: $transformed, instruction: $instruction, userEmail: $userEmail, sessionId: $sessionId) { ${pairFields} }
}`;

export interface PairRequest {
  original: Buffer;
  transformed: Buffer;
  instruction: string;
  userEmail?: string;
  sessionId?: string;
}

export function postPair(
  gateway: TestGateway,
  request: PairRequest,
  token?: string | null,
): Promise<GraphQLBody<{ storeTrainingPair: StoredPair }>> {
  const { original, transformed, ...variables } = request;
  return gateway.upload<{ storeTrainingPair: StoredPair }>(
    storeMutation,
    variables,
    [
      { variable: "original", filename: "before.img", content: original },
      { variable: "transformed", filename: "after.img", content: transformed },
    ],
    token,
  );
}

export async function storePair(gateway: TestGateway, request: PairRequest, token?: string | null) {
  const body = await postPair(gateway, request, token);
  if (!body.data?.storeTrainingPair)
    throw new Error(`storeTrainingPair failed: ${JSON.stringify(body.errors)}`);
  return body.data.storeTrainingPair;
}

/** A small solid-colour image; different colours give different bytes (and blobs). */
export function solidImage(
  rgb: [number, number, number],
  format: "png" | "jpeg" | "webp" = "png",
  size: [number, number] = [24, 16],
): Promise<Buffer> {
  const image = sharp({
    create: { width: size[0], height: size[1], channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });
  return (format === "png" ? image.png() : format === "jpeg" ? image.jpeg() : image.webp()).toBuffer();
}

export async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}
