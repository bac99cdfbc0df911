import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTinyCnn } from "../src/fixtures";
import { checkLoadsInOnnxRuntime } from "../src/onnxruntime-check";

describe("checkLoadsInOnnxRuntime", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "onnxruntime-check-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, bytes: Uint8Array | string) {
    const filePath = path.join(dir, name);
    await writeFile(filePath, bytes);
    return filePath;
  }

  it("loads a valid model", async () => {
    expect(await checkLoadsInOnnxRuntime(await file("cnn.onnx", buildTinyCnn().toBytes()))).toEqual({
      loaded: true,
    });
  });

  it("reports ONNX Runtime's reason without the file's path", async () => {
    const filePath = await file("garbage.bin", "definitely not protobuf \u0001\u0002");
    expect(await checkLoadsInOnnxRuntime(filePath)).toEqual({
      loaded: false,
      reason: "Protobuf parsing failed.",
    });
  });

  it("names the file by its display name where ONNX Runtime quotes the path", async () => {
    const check = await checkLoadsInOnnxRuntime(path.join(dir, "absent.onnx"), {
      displayName: "upload.onnx",
    });
    expect(check).toEqual({ loaded: false, reason: "Load model upload.onnx failed. File doesn't exist" });
  });

  it("gives up on a load that takes longer than the timeout", async () => {
    const check = await checkLoadsInOnnxRuntime(await file("slow.onnx", buildTinyCnn().toBytes()), {
      timeoutMs: 1,
    });
    expect(check).toEqual({
      loaded: false,
      reason: "ONNX Runtime did not finish loading the model within 1 ms",
    });
  });
});
