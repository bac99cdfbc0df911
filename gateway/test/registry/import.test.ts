import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildLinearClassifier } from "@tessera/onnx/fixtures";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { FakeHub } from "../support/fake-hub";
import { expectError, sha256Of, storedState, type VersionResult } from "./operations";

const IMPORT = `mutation ($input: ImportModelInput!) {
  importModel(input: $input) {
    id version validation labels customMetadata
    files { path sizeBytes sha256 isPrimary downloadUrl }
    model { slug framework owner { handle } }
  }
}`;

const onnx = Buffer.from(buildLinearClassifier().toBytes());
const config = '{"architectures":["LinearClassifier"]}';

let hub: FakeHub;
let gateway: TestGateway;
let before: Awaited<ReturnType<typeof storedState>>;

beforeAll(async () => {
  hub = await FakeHub.start();
  hub.addRepo({
    id: "acme/tiny-classifier",
    revisions: {
      main: {
        "model.onnx": { content: onnx, lfs: true },
        "config.json": { content: config },
        "README.md": { content: "# Tiny classifier" },
      },
    },
  });
  hub.addRepo({
    id: "acme/flaky",
    revisions: {
      main: {
        "config.json": { content: '{"fine":true}' },
        "weights.safetensors": { content: Buffer.alloc(4096, 7), dropAfterBytes: 100 },
      },
    },
  });
  gateway = await startTestGateway({ env: { HF_ENDPOINT: hub.endpoint } });
});
afterAll(async () => {
  await gateway?.stop();
  await hub?.close();
});
beforeEach(async () => {
  before = await storedState(gateway);
});

const importModel = (input: Record<string, unknown>) =>
  gateway.gql<{ importModel: VersionResult & { files: Array<{ downloadUrl: string }> } }>(IMPORT, { input });

describe("importModel from the Hugging Face Hub", () => {
  it("imports the selected files as a version and records where they came from", async () => {
    const body = await importModel({
      model: { slug: "tiny", customMetadata: { team: "vision" } },
      huggingFace: { repoId: "acme/tiny-classifier", allowPatterns: ["*.onnx", "*.json"] },
    });
    expect(body.errors).toBeUndefined();
    const version = body.data!.importModel;
    expect(version).toMatchObject({
      version: "v1",
      validation: "VALID",
      labels: ["cat", "dog", "bird"],
      model: { slug: "tiny", framework: "ONNX", owner: { handle: "admin" } },
      customMetadata: {
        team: "vision",
        source: {
          kind: "huggingface",
          repoId: "acme/tiny-classifier",
          revision: "main",
          commit: hub.commitOf("acme/tiny-classifier", "main"),
        },
      },
    });
    expect(
      version.files.map(({ path, sizeBytes, sha256, isPrimary }) => ({ path, sizeBytes, sha256, isPrimary })),
    ).toEqual([
      { path: "config.json", sizeBytes: config.length, sha256: sha256Of(config), isPrimary: false },
      { path: "model.onnx", sizeBytes: onnx.length, sha256: sha256Of(onnx), isPrimary: true },
    ]);
    const downloaded = await fetch(version.files[1]!.downloadUrl);
    expect(Buffer.from(await downloaded.arrayBuffer())).toEqual(onnx);
    expect(await gateway.blobFiles()).toEqual([...before.blobFiles, sha256Of(config), sha256Of(onnx)].sort());
  });

  it("answers NOT_FOUND for a repo the Hub does not have, and keeps nothing", async () => {
    const body = await importModel({
      model: { slug: "ghost" },
      huggingFace: { repoId: "acme/no-such-repo" },
    });
    expectError(body, "NOT_FOUND", 'Hugging Face repo "acme/no-such-repo" not found');
    expect(await storedState(gateway)).toEqual(before);
  });

  it("answers NOT_FOUND for a revision the repo does not have", async () => {
    const body = await importModel({
      model: { slug: "ghost" },
      huggingFace: { repoId: "acme/tiny-classifier", revision: "v9" },
    });
    expectError(body, "NOT_FOUND", 'Revision "v9" not found');
    expect(await storedState(gateway)).toEqual(before);
  });

  it("keeps nothing when the connection drops during a later file", async () => {
    const body = await importModel({ model: { slug: "flaky" }, huggingFace: { repoId: "acme/flaky" } });
    expectError(body, "SERVICE_UNAVAILABLE");
    expect(await storedState(gateway)).toEqual(before);
  });

  it("answers SERVICE_UNAVAILABLE when the Hub is down", async () => {
    hub.outage = 503;
    try {
      const body = await importModel({
        model: { slug: "down" },
        huggingFace: { repoId: "acme/tiny-classifier" },
      });
      expectError(body, "SERVICE_UNAVAILABLE");
    } finally {
      hub.outage = null;
    }
    expect(await storedState(gateway)).toEqual(before);
  });
});

describe("importModel from a URL", () => {
  it("imports one file and records the URL", async () => {
    const url = hub.serveFile("weights.pt", { content: "weights from a url" });
    const body = await importModel({ model: { slug: "from-url" }, url });
    expect(body.errors).toBeUndefined();
    expect(body.data!.importModel).toMatchObject({
      version: "v1",
      model: { framework: "PYTORCH" },
      customMetadata: { source: { kind: "url", url } },
      files: [{ path: "weights.pt", sha256: sha256Of("weights from a url"), isPrimary: true }],
    });
  });

  it("refuses both sources at once, or none", async () => {
    const url = hub.serveFile("other.pt", { content: "x" });
    expectError(
      await importModel({ model: { slug: "both" }, url, huggingFace: { repoId: "acme/tiny-classifier" } }),
      "BAD_USER_INPUT",
      'Give exactly one source: "huggingFace" or "url"',
    );
    expectError(await importModel({ model: { slug: "none" } }), "BAD_USER_INPUT");
    expect(await storedState(gateway)).toEqual(before);
  });
});
