import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArchiveLimits } from "../../../src/config";
import { AppError } from "../../../src/errors";
import { openPackage } from "../../../src/serving/packages/package-reader";
import { colourPackageFiles, packageZip, zipFolder } from "./package-fixture";

const limits: ArchiveLimits = {
  maxEntries: 100,
  maxUncompressedBytes: 64 * 1024 * 1024,
  maxCompressionRatio: 200,
};

let folder: Awaited<ReturnType<typeof zipFolder>>;
beforeAll(async () => {
  folder = await zipFolder();
});
afterAll(() => folder.remove());

async function open(zip: Buffer) {
  const pkg = await openPackage(await folder.write(zip), limits);
  pkg.zip.close();
  return pkg;
}

/** The BAD_USER_INPUT a package is refused with. */
async function refusal(zip: Buffer): Promise<{ message: string; file: unknown }> {
  const error = await open(zip).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("BAD_USER_INPUT");
  return { message: (error as AppError).message, file: (error as AppError).details.file };
}

const changed = (path: string, bytes: Buffer) => new Map([...colourPackageFiles(), [path, bytes]]);

describe("openPackage", () => {
  it("reads a package whose files all match the manifest", async () => {
    const pkg = await open(packageZip(colourPackageFiles()));
    expect(pkg.metadata.name).toBe("Colours");
    expect(pkg.categories).toEqual(["red", "green", "blue"]);
    expect(pkg.modelFiles.map((f) => f.path)).toEqual(["model.onnx"]);
    expect(pkg.testInputs[0]!.tensor.dims).toEqual([1, 3, 8, 8]);
    expect(pkg.testOutputs.map((t) => [t.name, t.file])).toEqual([["scores", "test_data/output_0.npy"]]);
  });

  it("refuses a package without a manifest", async () => {
    const { message, file } = await refusal(packageZip(colourPackageFiles(), { manifest: false }));
    expect(file).toBe("MANIFEST.sha256");
    expect(message).toContain("no MANIFEST.sha256");
  });

  it("refuses a model file changed after the manifest was written, naming it", async () => {
    const original = colourPackageFiles();
    const model = Buffer.from(original.get("model/model.onnx")!);
    model.writeUInt8(model.readUInt8(model.length - 1) ^ 1, model.length - 1);
    const { message, file } = await refusal(
      packageZip(changed("model/model.onnx", model), { hashed: original }),
    );
    expect(file).toBe("model/model.onnx");
    expect(message).toContain("does not match its sha256");
  });

  it("refuses a manifest line whose hash does not match, naming the file", async () => {
    const hashed = changed("categories.json", Buffer.from('["cyan","magenta","yellow"]'));
    const { file } = await refusal(packageZip(colourPackageFiles(), { hashed }));
    expect(file).toBe("categories.json");
  });

  it("refuses a zip-slip path", async () => {
    const { message } = await refusal(
      packageZip(colourPackageFiles(), { extra: { "../evil.sh": Buffer.from("x") } }),
    );
    expect(message).toContain('"../evil.sh"');
  });

  it("refuses a file the manifest does not list", async () => {
    const { file } = await refusal(
      packageZip(colourPackageFiles(), { extra: { "model/extra.bin": Buffer.from("x") } }),
    );
    expect(file).toBe("model/extra.bin");
  });

  it("refuses a manifest that lists a file the package lacks", async () => {
    const files = colourPackageFiles();
    const hashed = new Map([...files, ["model/weights.bin", Buffer.from("w")]]);
    const { file, message } = await refusal(packageZip(files, { hashed }));
    expect(file).toBe("model/weights.bin");
    expect(message).toContain("does not contain it");
  });

  it("refuses metadata whose model_hash is not the model's", async () => {
    const metadata = JSON.parse(colourPackageFiles().get("metadata.json")!.toString());
    const files = changed(
      "metadata.json",
      Buffer.from(JSON.stringify({ ...metadata, model_hash: "0".repeat(64) })),
    );
    const { file, message } = await refusal(packageZip(files));
    expect(file).toBe("metadata.json");
    expect(message).toContain("model_hash");
  });

  it("refuses metadata whose num_categories disagrees with categories.json", async () => {
    const metadata = JSON.parse(colourPackageFiles().get("metadata.json")!.toString());
    const files = changed("metadata.json", Buffer.from(JSON.stringify({ ...metadata, num_categories: 4 })));
    const { file, message } = await refusal(packageZip(files));
    expect(file).toBe("metadata.json");
    expect(message).toContain("num_categories is 4 but categories.json lists 3");
  });

  it("refuses metadata that is not JSON", async () => {
    const { file } = await refusal(packageZip(changed("metadata.json", Buffer.from("{ nope"))));
    expect(file).toBe("metadata.json");
  });
});
