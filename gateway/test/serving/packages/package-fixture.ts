import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { craftZip } from "../../archives/craft-zip";
import { buildColourClassifier, COLOUR_LABELS } from "../../inference/inference-api";
import { encodeNpy, type NpyTensor } from "../../../src/serving/packages/npy";
import { deterministicInput } from "../../../src/serving/packages/test-pair";

/** The files of a valid package of the colour classifier, MANIFEST.sha256 excluded. */
export function colourPackageFiles(): Map<string, Buffer> {
  const model = buildColourClassifier();
  const input = deterministicInput({ name: "image", dataType: "float32", shape: [-1, 3, 8, 8] }, 1);
  const metadata = {
    package_version: "1.0",
    name: "Colours",
    version: "v1",
    author: "alice",
    description: "Tells red, green and blue apart",
    license: "MIT",
    created: "2026-12-07T09:00:00.000Z",
    format: "onnx",
    num_categories: 3,
    tags: ["colour"],
    model_hash: sha256(model),
    model_size: model.length,
    framework: "ONNX",
    compatibility: { package_version: "1.0", onnx_opset: 17, onnxruntime: ">=1.16", tessera: ">=0.1" },
    slug: "colours",
    model_type: "CLASSIFICATION",
    primary_file: "model/model.onnx",
    inputs: [{ name: "image", dataType: "float32", shape: [-1, 3, 8, 8] }],
    outputs: [{ name: "scores", dataType: "float32", shape: [-1, 3] }],
    preprocessing: null,
    metrics: {},
    lineage: {},
    test_data: {
      inputs: [{ name: "image", file: "test_data/input_0.npy" }],
      outputs: [{ name: "scores", file: "test_data/output_0.npy" }],
      tolerance: { absolute: 1e-4, relative: 1e-3 },
    },
  };
  return new Map([
    ["metadata.json", Buffer.from(JSON.stringify(metadata))],
    ["categories.json", Buffer.from(JSON.stringify(COLOUR_LABELS))],
    ["README.md", Buffer.from("# Colours\n")],
    ["model/model.onnx", model],
    ["test_data/input_0.npy", encodeNpy(input)],
    ["test_data/output_0.npy", encodeNpy(colourScores(input))],
  ]);
}

/** softmax(4 · channel means), worked out by hand: what the classifier gives for `input`. */
export function colourScores(input: NpyTensor): NpyTensor {
  const plane = 64;
  const logits = [0, 1, 2].map((channel) => {
    let sum = 0;
    for (let i = 0; i < plane; i++) sum += Number(input.data[channel * plane + i]);
    return (4 * sum) / plane;
  });
  const top = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return { type: "float32", dims: [1, 3], data: Float32Array.from(exps, (e) => e / total) };
}

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

export function manifestOf(files: ReadonlyMap<string, Buffer>): Buffer {
  return Buffer.from(
    [...files]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, bytes]) => `${sha256(bytes)}  ${name}\n`)
      .join(""),
  );
}

/**
 * A ZIP of `files`, with a manifest of `hashed` (default: the same files) unless `manifest` is
 * false; `extra` entries are added unlisted, byte for byte as named (zip-slip paths included).
 */
export function packageZip(
  files: ReadonlyMap<string, Buffer>,
  options: { hashed?: ReadonlyMap<string, Buffer>; manifest?: boolean; extra?: Record<string, Buffer> } = {},
): Buffer {
  const entries = [...files].map(([name, content]) => ({ name, content }));
  if (options.manifest !== false) {
    entries.unshift({ name: "MANIFEST.sha256", content: manifestOf(options.hashed ?? files) });
  }
  for (const [name, content] of Object.entries(options.extra ?? {})) entries.push({ name, content });
  return craftZip(entries);
}

/** Writes ZIPs to a temp folder for openPackage, which reads files. */
export async function zipFolder() {
  const dir = await mkdtemp(path.join(tmpdir(), "tessera-packages-"));
  let counter = 0;
  return {
    async write(bytes: Buffer): Promise<string> {
      const file = path.join(dir, `package-${++counter}.tessera`);
      await writeFile(file, bytes);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
