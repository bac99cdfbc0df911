import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildLinearClassifier, buildTinyCnn } from "@tessera/onnx/fixtures";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { craftZip } from "../archives/craft-zip";
import {
  expectError,
  namedFiles,
  sha256Of,
  storedState,
  UPLOAD_MODEL,
  UPLOAD_MODEL_WITH_PATHS,
  uploadArchive,
  uploadModel,
  VERSION_FIELDS,
  type VersionResult,
} from "./operations";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway?.stop());

const linearClassifier = Buffer.from(buildLinearClassifier().toBytes());
const tinyCnn = Buffer.from(buildTinyCnn().toBytes());

describe("uploading one ONNX file", () => {
  it("registers v1 and reads inputs, outputs, shapes, parameters, opset and labels from the graph", async () => {
    const version = await uploadModel(gateway, { slug: "iris" }, { "model.onnx": linearClassifier });
    expect(version).toEqual({
      id: expect.any(String),
      version: "v1",
      number: 1,
      validation: "VALID",
      invalidReason: null,
      opset: 13,
      // 3×4 weights and 3 biases.
      numParameters: 15,
      sizeBytes: linearClassifier.length,
      labels: ["cat", "dog", "bird"],
      inputs: [{ name: "input", dataType: "FLOAT32", shape: [-1, 4], dimensions: ["batch", "4"] }],
      outputs: [{ name: "probabilities", dataType: "FLOAT32", shape: [-1, 3], dimensions: ["batch", "3"] }],
      inputShape: [-1, 4],
      outputShape: [-1, 3],
      metrics: {
        trainingAccuracy: null,
        validationAccuracy: null,
        testAccuracy: null,
        trainingLoss: null,
        extra: null,
      },
      pythonVersion: null,
      dependencies: [],
      hardwareRequirements: null,
      customMetadata: null,
      isActive: true,
      isProductionReady: false,
      aliases: [],
      files: [
        {
          path: "model.onnx",
          sizeBytes: linearClassifier.length,
          sha256: sha256Of(linearClassifier),
          contentType: "application/onnx",
          fileType: "weights",
          isPrimary: true,
        },
      ],
      primaryFile: { path: "model.onnx" },
      model: {
        id: expect.any(String),
        slug: "iris",
        name: "iris",
        description: null,
        framework: "ONNX",
        modelType: "OTHER",
        algorithm: null,
        tags: [],
        isPublic: false,
        owner: { handle: "admin" },
      },
    });
    expect(await gateway.blobFiles()).toContain(sha256Of(linearClassifier));
  });

  it("reads a convolutional graph's image input and comma-separated categories", async () => {
    const cnn = buildTinyCnn();
    cnn.setMetadata("categories", "red, green ,blue");
    const bytes = Buffer.from(cnn.toBytes());
    const version = await uploadModel(gateway, { slug: "colours" }, { "cnn.onnx": bytes });
    expect(version).toMatchObject({
      validation: "VALID",
      // conv 4×3×3×3 + 4, dense 3×4 + 3.
      numParameters: 127,
      labels: ["red", "green", "blue"],
      inputs: [
        { name: "image", dataType: "FLOAT32", shape: [-1, 3, 8, 8], dimensions: ["batch", "3", "8", "8"] },
      ],
      outputs: [{ name: "logits", dataType: "FLOAT32", shape: [-1, 3], dimensions: ["batch", "3"] }],
    });
    const plain = await uploadModel(gateway, { slug: "colours" }, { "cnn.onnx": tinyCnn });
    expect(plain.labels).toEqual([]);
  });
});

describe("versions", () => {
  it("numbers uploads to one model v1, v2, … and lists them newest first", async () => {
    const first = await uploadModel(gateway, { slug: "ordered" }, { "model.pt": "first weights" });
    const second = await uploadModel(gateway, { slug: "ordered" }, { "model.pt": "second weights" });
    expect([first.version, first.number, second.version, second.number]).toEqual(["v1", 1, "v2", 2]);
    expect(second.model.id).toBe(first.model.id);

    const model = await gateway.gql(
      `{ model(slug: "ordered") { versions { version } latestVersion { version } version(name: "v1") { id } } }`,
    );
    expect(model).toEqual({
      data: {
        model: {
          versions: [{ version: "v2" }, { version: "v1" }],
          latestVersion: { version: "v2" },
          version: { id: first.id },
        },
      },
    });
  });

  it("keeps a given version name, refuses it again with CONFLICT, and numbers on after it", async () => {
    const named = await uploadModel(gateway, { slug: "named", version: "2024.1" }, { "model.pt": "a" });
    expect([named.version, named.number]).toEqual(["2024.1", 1]);

    const before = await storedState(gateway);
    const again = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "named", version: "2024.1" } },
      namedFiles({ "model.pt": "different weights" }),
    );
    expectError(again, "CONFLICT", 'Model "named" already has a version "2024.1"');
    expect(await storedState(gateway)).toEqual(before);

    const next = await uploadModel(gateway, { slug: "named" }, { "model.pt": "b" });
    expect([next.version, next.number]).toEqual(["v2", 2]);
  });

  it("refuses a version name with illegal characters", async () => {
    const body = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "named", version: "v 1/evil" } },
      namedFiles({ "model.pt": "x" }),
    );
    expectError(body, "BAD_USER_INPUT", 'Version "v 1/evil" is invalid');
  });
});

describe("uploading several files", () => {
  it("stores every file and marks the named primary file", async () => {
    const files = {
      "encoder.pt": "encoder weights",
      "decoder.pt": "decoder weights",
      "config.json": '{"layers":2}',
    };
    const version = await uploadModel(gateway, { slug: "seq2seq", primaryFile: "decoder.pt" }, files);
    expect(version.model.framework).toBe("PYTORCH");
    expect(version.primaryFile).toEqual({ path: "decoder.pt" });
    expect(version.sizeBytes).toBe(15 + 15 + 12);
    expect(version.files).toEqual([
      {
        path: "config.json",
        sizeBytes: 12,
        sha256: sha256Of('{"layers":2}'),
        contentType: "application/json",
        fileType: "config",
        isPrimary: false,
      },
      {
        path: "decoder.pt",
        sizeBytes: 15,
        sha256: sha256Of("decoder weights"),
        contentType: "application/octet-stream",
        fileType: "weights",
        isPrimary: true,
      },
      {
        path: "encoder.pt",
        sizeBytes: 15,
        sha256: sha256Of("encoder weights"),
        contentType: "application/octet-stream",
        fileType: "weights",
        isPrimary: false,
      },
    ]);
  });

  it("keeps the folders given in `paths` (multipart file names carry none)", async () => {
    const files = {
      "onnx/model.onnx": linearClassifier,
      "onnx/config.json": "{}",
      "tokenizer/config.json": '{"vocab":3}',
    };
    const body = await gateway.upload<{ uploadModel: VersionResult }>(
      UPLOAD_MODEL_WITH_PATHS,
      { input: { slug: "foldered" }, paths: Object.keys(files) },
      namedFiles(files),
    );
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    const version = body.data!.uploadModel;
    expect(version.files.map((file) => file.path)).toEqual([
      "onnx/config.json",
      "onnx/model.onnx",
      "tokenizer/config.json",
    ]);
    expect(version.primaryFile).toEqual({ path: "onnx/model.onnx" });
  });

  it("refuses a number of paths that differs from the number of files, and keeps nothing", async () => {
    const before = await storedState(gateway);
    const body = await gateway.upload(
      UPLOAD_MODEL_WITH_PATHS,
      { input: { slug: "bad-paths" }, paths: ["a/model.pt"] },
      namedFiles({ "model.pt": "weights one", "extra.pt": "weights two" }),
    );
    expectError(body, "BAD_USER_INPUT", "Give one path per file: 2 files but 1 paths");
    expect(await storedState(gateway)).toEqual(before);
  });

  it("refuses a primaryFile that is not among the files, and keeps nothing", async () => {
    const before = await storedState(gateway);
    const body = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "no-primary", primaryFile: "missing.pt" } },
      namedFiles({ "a.pt": "unique content a", "b.pt": "unique content b" }),
    );
    expectError(
      body,
      "BAD_USER_INPUT",
      'primaryFile "missing.pt" is not among the uploaded files: a.pt, b.pt',
    );
    expect(await storedState(gateway)).toEqual(before);
  });
});

describe("framework detection", () => {
  const cases: Array<[string, string]> = [
    ["model.pkl", "SKLEARN"],
    ["model.joblib", "SKLEARN"],
    ["model.pt", "PYTORCH"],
    ["model.pth", "PYTORCH"],
    ["model.h5", "KERAS"],
    ["model.hdf5", "KERAS"],
    ["saved_model.pb", "TENSORFLOW"],
    ["model.safetensors", "HUGGINGFACE"],
    ["pytorch_model.bin", "HUGGINGFACE"],
    ["model.onnx", "ONNX"],
  ];

  it("tells the framework from the weights file's extension", async () => {
    const detected: Record<string, string> = {};
    for (const [filename] of cases) {
      const slug = `detect-${filename.replace(/[^a-z0-9]+/g, "-")}`;
      const version = await uploadModel(gateway, { slug }, { [filename]: `weights of ${filename}` });
      detected[filename] = version.model.framework;
    }
    expect(detected).toEqual(Object.fromEntries(cases));
  });

  it("prefers a framework the uploader names", async () => {
    const version = await uploadModel(
      gateway,
      { slug: "named-framework", framework: "OTHER" },
      { "weights.bin": "w" },
    );
    expect(version.model.framework).toBe("OTHER");
    const notes = await uploadModel(gateway, { slug: "notes", framework: "OTHER" }, { "notes.txt": "hello" });
    expect(notes.primaryFile).toEqual({ path: "notes.txt" });
    expect(notes.validation).toBe("UNCHECKED");
  });

  it("refuses files whose framework cannot be told, when none is named, and keeps nothing", async () => {
    const before = await storedState(gateway);
    const body = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "mystery" } },
      namedFiles({ "weights.xyz": "mystery weights", "readme.txt": "what is this" }),
    );
    expectError(body, "BAD_USER_INPUT", 'set "framework"');
    expect(body.errors![0]!.extensions!.field).toBe("framework");
    expect(await storedState(gateway)).toEqual(before);
  });
});

describe("a corrupt ONNX file", () => {
  it("is stored, and the version is flagged INVALID with the reason", async () => {
    const broken = Buffer.from("this is not a protobuf at all \x00\xff\xfe");
    const version = await uploadModel(gateway, { slug: "broken" }, { "broken.onnx": broken });
    expect(version).toMatchObject({
      version: "v1",
      validation: "INVALID",
      inputs: null,
      outputs: null,
      opset: null,
      numParameters: null,
      labels: [],
      files: [expect.objectContaining({ path: "broken.onnx", isPrimary: true })],
    });
    expect(version.invalidReason).toMatch(/^broken\.onnx is not an ONNX model: /);
    expect(await gateway.blobFiles()).toContain(sha256Of(broken));
  });

  it("flags a graph that decodes but ONNX Runtime cannot load", async () => {
    const graph = buildLinearClassifier();
    graph.addNode({ op: "NoSuchOperator", inputs: ["input"], outputs: ["nowhere"] });
    const version = await uploadModel(
      gateway,
      { slug: "unloadable" },
      { "model.onnx": Buffer.from(graph.toBytes()) },
    );
    expect(version.validation).toBe("INVALID");
    expect(version.invalidReason).toMatch(/^ONNX Runtime cannot load model\.onnx: .*NoSuchOperator/s);
  });
});

describe("uploading a ZIP of a model folder", () => {
  // What zipping a folder named `resnet` on a Mac produces.
  const folderZip = craftZip([
    { name: "resnet/", externalAttributes: 0o040755 << 16 },
    { name: "resnet/model.onnx", content: linearClassifier },
    { name: "resnet/config/labels.json", content: Buffer.from('["cat","dog","bird"]'), method: "store" },
    { name: "resnet/README.md", content: Buffer.from("# ResNet\n") },
    { name: "resnet/.DS_Store", content: Buffer.from("finder") },
    { name: "__MACOSX/resnet/._model.onnx", content: Buffer.from("resource fork") },
  ]);

  it("keeps the subfolders, minus the single top folder, by default", async () => {
    const body = await uploadArchive(gateway, { slug: "zipped" }, folderZip);
    expect(body.errors).toBeUndefined();
    const version = body.data!.uploadModelArchive;
    expect(version.files.map(({ path, sizeBytes, isPrimary }) => ({ path, sizeBytes, isPrimary }))).toEqual([
      { path: "README.md", sizeBytes: 9, isPrimary: false },
      { path: "config/labels.json", sizeBytes: 20, isPrimary: false },
      { path: "model.onnx", sizeBytes: linearClassifier.length, isPrimary: true },
    ]);
    expect(version).toMatchObject({ version: "v1", validation: "VALID", labels: ["cat", "dog", "bird"] });
    expect(version.model.framework).toBe("ONNX");
    expect(version.files.find((f) => f.path === "model.onnx")!.sha256).toBe(sha256Of(linearClassifier));
    // Only the extracted files are kept, not the archive itself.
    expect(await gateway.blobFiles()).not.toContain(sha256Of(folderZip));
    expect(await gateway.tempFileCount()).toBe(0);
  });

  it("flattens the folders with preserveStructure: false", async () => {
    const body = await uploadArchive(gateway, { slug: "zipped-flat" }, folderZip, false);
    expect(body.errors).toBeUndefined();
    expect(body.data!.uploadModelArchive.files.map((f) => f.path)).toEqual([
      "README.md",
      "labels.json",
      "model.onnx",
    ]);
  });

  it("keeps every top-level entry when the files do not share one folder", async () => {
    const zip = craftZip([
      { name: "weights/model.pt", content: Buffer.from("zip weights") },
      { name: "train.py", content: Buffer.from("print('train')") },
    ]);
    const body = await uploadArchive(gateway, { slug: "zipped-loose" }, zip);
    expect(body.errors).toBeUndefined();
    const version = body.data!.uploadModelArchive;
    expect(version.files.map((f) => [f.path, f.fileType])).toEqual([
      ["train.py", "code"],
      ["weights/model.pt", "weights"],
    ]);
    expect(version.primaryFile).toEqual({ path: "weights/model.pt" });
    expect(version.model.framework).toBe("PYTORCH");
  });
});

describe("metadata", () => {
  const input = {
    slug: "sentiment",
    name: "  Sentiment classifier ",
    description: "Reads a review and says whether it is positive",
    modelType: "NLP",
    algorithm: "logistic regression",
    tags: ["nlp", "english", "nlp"],
    isPublic: true,
    labels: ["negative", "positive"],
    inputShape: [1, 300],
    outputShape: [1, 2],
    numParameters: 602,
    metrics: {
      trainingAccuracy: 0.93,
      validationAccuracy: 0.9,
      testAccuracy: 0.89,
      trainingLoss: 0.21,
      extra: {
        f1: 0.88,
        confusion: [
          [40, 5],
          [6, 49],
        ],
      },
    },
    pythonVersion: "3.11",
    dependencies: ["scikit-learn==1.4.2", "numpy>=1.26"],
    hardwareRequirements: { gpu: false, memoryGb: 2 },
    customMetadata: { dataset: "imdb", run: { id: 7, tags: ["baseline"] } },
    isProductionReady: true,
  };
  const expected = {
    version: "v1",
    labels: ["negative", "positive"],
    inputShape: [1, 300],
    outputShape: [1, 2],
    numParameters: 602,
    metrics: input.metrics,
    pythonVersion: "3.11",
    dependencies: ["scikit-learn==1.4.2", "numpy>=1.26"],
    hardwareRequirements: { gpu: false, memoryGb: 2 },
    customMetadata: { dataset: "imdb", run: { id: 7, tags: ["baseline"] } },
    isProductionReady: true,
    validation: "UNCHECKED",
    model: {
      slug: "sentiment",
      name: "Sentiment classifier",
      description: "Reads a review and says whether it is positive",
      framework: "SKLEARN",
      modelType: "NLP",
      algorithm: "logistic regression",
      tags: ["nlp", "english"],
      isPublic: true,
    },
  };

  it("stores what the uploader says about a version and returns it on every read", async () => {
    const uploaded = await uploadModel(gateway, input, { "model.pkl": "pickled estimator" });
    expect(uploaded).toMatchObject(expected);

    const byId = await gateway.gql<{ modelVersion: VersionResult }>(
      `query ($id: ID!) { modelVersion(id: $id) { ${VERSION_FIELDS} } }`,
      { id: uploaded.id },
    );
    expect(byId.data!.modelVersion).toEqual(uploaded);
    const bySlug = await gateway.gql<{ model: { latestVersion: VersionResult } }>(
      `{ model(owner: "admin", slug: "sentiment") { latestVersion { ${VERSION_FIELDS} } } }`,
    );
    expect(bySlug.data!.model.latestVersion).toEqual(uploaded);
  });

  it("prefers the labels an uploader gives over the ONNX metadata", async () => {
    const version = await uploadModel(
      gateway,
      { slug: "relabelled", labels: ["a", "b", "c"] },
      {
        "model.onnx": linearClassifier,
      },
    );
    expect(version.labels).toEqual(["a", "b", "c"]);
  });

  it("refuses customMetadata that is not a JSON object before storing anything", async () => {
    const before = await storedState(gateway);
    const body = await gateway.upload(
      UPLOAD_MODEL,
      { input: { slug: "bad-metadata", customMetadata: [1, 2, 3] } },
      namedFiles({ "model.pt": "weights for bad metadata" }),
    );
    expectError(body, "BAD_USER_INPUT", '"customMetadata" must be a JSON object');
    expect(await storedState(gateway)).toEqual(before);
  });
});
