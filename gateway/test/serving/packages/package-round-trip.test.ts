import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSafeZip, readZipEntry } from "../../../src/archives/safe-zip";
import { encodeNpy } from "../../../src/serving/packages/npy";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { expectError, sha256Of, storedState, uploadModel } from "../../registry/operations";
import { buildColourClassifier, classified, deployReady, solidPng } from "../../inference/inference-api";
import { colourPackageFiles, packageZip } from "./package-fixture";

const EXPORT = `
  mutation ($id: ID!) { exportModelPackage(versionId: $id) { url filename sizeBytes sha256 expiresAt } }`;
const IMPORT = `
  mutation ($archive: Upload!, $slug: String) {
    importModelPackage(archive: $archive, slug: $slug) {
      id version labels model { slug modelType owner { handle } }
      importedFrom { sha256 name version author packageVersion importedAt }
    }
  }`;

interface Exported {
  url: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  expiresAt: string;
}

interface ImportedVersion {
  id: string;
  labels: string[];
  model: { slug: string; modelType: string; owner: { handle: string } };
  importedFrom: Record<string, unknown> | null;
}

let gateway: TestGateway;
let alice: string;
let bob: string;
let colours: { id: string };
let exported: Exported;
let packageBytes: Buffer;

beforeAll(async () => {
  gateway = await startTestGateway();
  [alice, bob] = await Promise.all([gateway.createMember("alice"), gateway.createMember("bob")]);
  colours = await uploadModel(
    gateway,
    { slug: "colours", name: "Colours", modelType: "CLASSIFICATION", tags: ["colour"] },
    { "model.onnx": buildColourClassifier() },
    alice,
  );
  const body = await gateway.gql<{ exportModelPackage: Exported }>(EXPORT, { id: colours.id }, alice);
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  exported = body.data!.exportModelPackage;
  packageBytes = Buffer.from(await (await fetch(exported.url)).arrayBuffer());
});

afterAll(() => gateway?.stop());

function importPackage(bytes: Buffer, slug: string | null, token: string) {
  return gateway.upload<{ importModelPackage: ImportedVersion }>(
    IMPORT,
    { slug },
    [{ variable: "archive", filename: "colours.tessera", content: bytes, contentType: "application/zip" }],
    token,
  );
}

describe("model packages", () => {
  it("exports a .tessera file behind a signed link whose every file sha256sum -c accepts", async () => {
    expect(exported.filename).toBe("alice-colours-v1.tessera");
    expect(packageBytes.length).toBe(exported.sizeBytes);
    expect(sha256Of(packageBytes)).toBe(exported.sha256);
    const dir = await mkdtemp(path.join(tmpdir(), "tessera-package-"));
    try {
      await writeFile(path.join(dir, "package.zip"), packageBytes);
      const zip = await openSafeZip(path.join(dir, "package.zip"), {
        maxEntries: 100,
        maxUncompressedBytes: 1 << 26,
        maxCompressionRatio: 200,
      });
      const out = path.join(dir, "out");
      for (const entry of zip.entries) {
        await mkdir(path.dirname(path.join(out, entry.path)), { recursive: true });
        await writeFile(path.join(out, entry.path), await readZipEntry(zip, entry));
      }
      zip.close();
      expect(zip.entries.map((e) => e.path).sort()).toEqual([
        "MANIFEST.sha256",
        "README.md",
        "categories.json",
        "metadata.json",
        "model/model.onnx",
        "test_data/input_0.npy",
        "test_data/output_0.npy",
      ]);
      execFileSync("sha256sum", ["--check", "--quiet", "--strict", "MANIFEST.sha256"], { cwd: out });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("imports as another user under another slug, and both versions classify alike", async () => {
    const body = await importPackage(packageBytes, "my-colours", bob);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const version = body.data!.importModelPackage;
    expect(version.model).toEqual({
      slug: "my-colours",
      modelType: "CLASSIFICATION",
      owner: { handle: "bob" },
    });
    expect(version.labels).toEqual(["red", "green", "blue"]);
    expect(version.importedFrom).toMatchObject({
      sha256: exported.sha256,
      name: "Colours",
      version: "v1",
      author: "alice",
      packageVersion: "1.0",
    });
    await deployReady(gateway, colours.id);
    await deployReady(gateway, version.id);
    const image = await solidPng([200, 40, 30]);
    const original = await classified(gateway, colours.id, image);
    const imported = await classified(gateway, version.id, image);
    expect(imported.predictions).toEqual(original.predictions);
    expect(original.predictions[0]!.label).toBe("red");
  });

  it("refuses a package whose test output the model does not reproduce, storing nothing", async () => {
    const files = colourPackageFiles();
    const expected = { type: "float32" as const, dims: [1, 3], data: Float32Array.from([0.5, 0.25, 0.25]) };
    files.set("test_data/output_0.npy", encodeNpy(expected));
    const before = await storedState(gateway);
    const body = await importPackage(packageZip(files), null, bob);
    expectError(
      body,
      "BAD_USER_INPUT",
      'test_data/output_0.npy: the model\'s output "scores" is not the packaged one',
    );
    expect(body.errors![0]!.extensions!.file).toBe("test_data/output_0.npy");
    expect(await storedState(gateway)).toEqual(before);
    const unchecked = await importPackage(packageZip(colourPackageFiles(), { manifest: false }), null, bob);
    expectError(unchecked, "BAD_USER_INPUT", "no MANIFEST.sha256");
    expect(await storedState(gateway)).toEqual(before);
  });

  it("exports only what the viewer can see, and only ONNX versions", async () => {
    expectError(await gateway.gql(EXPORT, { id: colours.id }, bob), "NOT_FOUND");
    const pytorch = await uploadModel(gateway, { slug: "torch" }, { "model.pt": "weights" }, alice);
    expectError(
      await gateway.gql(EXPORT, { id: pytorch.id }, alice),
      "FAILED_PRECONDITION",
      "Only ONNX versions",
    );
  });
});
