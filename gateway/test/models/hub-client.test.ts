import { createServer } from "node:net";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { downloadHubFiles, listHubFiles } from "../../src/models/hub-client";
import { createLogger } from "../../src/logger";
import type { LocalBlobStore } from "../../src/storage/local-blob-store";
import { FakeHub } from "../support/fake-hub";
import { importConfig, readBlob, sha256Of, storedHashes, tempBlobStore } from "../support/import-fixtures";

const onnx = Buffer.from("fake onnx graph ".repeat(64));
const quantized = Buffer.from("quantized graph ".repeat(32));
const configJson = '{"architectures":["Net"]}';

const logger = createLogger({ level: "silent" });

let hub: FakeHub;
let store: LocalBlobStore;
let removeStore: () => Promise<void>;

beforeAll(async () => {
  // Two entries a page, so every listing walks the Link: rel="next" pages.
  hub = await FakeHub.start({ pageSize: 2 });
  hub.addRepo({
    id: "acme/resnet",
    revisions: {
      main: {
        "config.json": { content: configJson },
        "model.onnx": { content: onnx, lfs: true },
        "onnx/model_quantized.onnx": { content: quantized, lfs: true },
        "onnx/preprocessor.json": { content: '{"size":224}' },
        "README.md": { content: "# ResNet" },
      },
      "refs/pr/1": { "model.onnx": { content: "model from the pull request" } },
    },
  });
  hub.addRepo({
    id: "acme/gated",
    token: "hf_secret",
    revisions: { main: { "model.onnx": { content: onnx } } },
  });
  // Two files that store fine, then one whose connection drops.
  hub.addRepo({
    id: "flaky/shared",
    revisions: {
      main: {
        "a.json": { content: "first file" },
        "b.json": { content: "second file" },
        "c.onnx": { content: onnx, dropAfterBytes: 5 },
      },
    },
  });
});
afterAll(() => hub.close());

beforeEach(async () => {
  ({ store, remove: removeStore } = await tempBlobStore());
  hub.requests.length = 0;
  hub.outage = null;
});
afterEach(() => removeStore());

const config = (env: Record<string, string> = {}) => importConfig({ HF_ENDPOINT: hub.endpoint, ...env });

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("listHubFiles", () => {
  it("lists the files a pattern selects, with sizes and the commit the revision points at", async () => {
    const list = await listHubFiles(config(), { repoId: "acme/resnet", allowPatterns: ["*.onnx"] });
    expect(list).toEqual({
      repoId: "acme/resnet",
      revision: "main",
      commitSha: hub.commitOf("acme/resnet", "main"),
      files: [
        { path: "model.onnx", sizeBytes: onnx.length, lfsSha256: sha256Of(onnx) },
        { path: "onnx/model_quantized.onnx", sizeBytes: quantized.length, lfsSha256: sha256Of(quantized) },
      ],
    });
  });

  it("applies folder patterns and ignore patterns the way huggingface_hub does", async () => {
    const list = await listHubFiles(config(), {
      repoId: "acme/resnet",
      allowPatterns: ["onnx/*", "*.json"],
      ignorePatterns: ["*quantized*"],
    });
    expect(list.files.map((file) => file.path)).toEqual(["config.json", "onnx/preprocessor.json"]);
  });

  it("reads a revision whose name contains a slash", async () => {
    const list = await listHubFiles(config(), { repoId: "acme/resnet", revision: "refs/pr/1" });
    expect(list.commitSha).toBe(hub.commitOf("acme/resnet", "refs/pr/1"));
    expect(list.files.map((file) => file.path)).toEqual(["model.onnx"]);
    expect(hub.requests[0]?.path).toBe("/api/models/acme/resnet/revision/refs%2Fpr%2F1");
  });

  it("answers NOT_FOUND naming a repo that does not exist", async () => {
    const error = await failure(listHubFiles(config(), { repoId: "acme/missing" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe(
      `Hugging Face repo "acme/missing" not found at ${hub.endpoint}; if it is private, set HF_TOKEN to a token that can read it`,
    );
  });

  it("answers NOT_FOUND naming a revision that does not exist", async () => {
    const error = await failure(listHubFiles(config(), { repoId: "acme/resnet", revision: "v9" }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe('Revision "v9" not found in Hugging Face repo "acme/resnet"');
  });

  it("answers FORBIDDEN for a gated repo without a token, and lists it with one", async () => {
    const error = await failure(listHubFiles(config(), { repoId: "acme/gated" }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe(
      'Hugging Face repo "acme/gated" is gated or private: set HF_TOKEN to a Hugging Face token that can read it',
    );
    const list = await listHubFiles(config({ HF_TOKEN: "hf_secret" }), { repoId: "acme/gated" });
    expect(list.files.map((file) => file.path)).toEqual(["model.onnx"]);
  });

  it("answers BAD_USER_INPUT listing the repo's files when no file matches", async () => {
    const error = await failure(
      listHubFiles(config(), { repoId: "acme/resnet", allowPatterns: ["*.safetensors"] }),
    );
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toBe(
      'No file of Hugging Face repo "acme/resnet" at "main" matches allowPatterns ["*.safetensors"] without matching ' +
        "ignorePatterns []. The repo has: config.json, model.onnx, onnx/model_quantized.onnx, onnx/preprocessor.json, README.md",
    );
  });

  it("rejects repo ids and revisions that could escape their URL segment, before any request", async () => {
    for (const repoId of ["../etc/passwd", "acme/../x", "acme/name/extra", "acme/", ""]) {
      expect((await failure(listHubFiles(config(), { repoId }))).code).toBe("BAD_USER_INPUT");
    }
    for (const revision of ["main/../x", "a b", "/main"]) {
      expect((await failure(listHubFiles(config(), { repoId: "acme/resnet", revision }))).code).toBe(
        "BAD_USER_INPUT",
      );
    }
    expect(hub.requests).toEqual([]);
  });

  it("refuses a listing with an unsafe path", async () => {
    hub.addRepo({ id: "evil/paths", revisions: { main: { "../escape.onnx": { content: "x" } } } });
    const error = await failure(listHubFiles(config(), { repoId: "evil/paths" }));
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(error.message).toContain(
      'gave the file path "../escape.onnx", which has an empty, "." or ".." segment',
    );
  });

  it("answers SERVICE_UNAVAILABLE naming the host when the Hub fails or cannot be reached", async () => {
    hub.outage = 503;
    const outage = await failure(listHubFiles(config(), { repoId: "acme/resnet" }));
    expect(outage.code).toBe("SERVICE_UNAVAILABLE");
    expect(outage.message).toBe(
      `${new URL(hub.endpoint).host} failed (HTTP 503: Service unavailable); retry later`,
    );

    const port = await closedPort();
    const refused = await failure(
      listHubFiles(config({ HF_ENDPOINT: `http://127.0.0.1:${port}` }), { repoId: "a/b" }),
    );
    expect(refused.code).toBe("SERVICE_UNAVAILABLE");
    expect(refused.message).toBe(
      `Could not download from 127.0.0.1:${port}: the connection was refused. Check the address and the network, then retry.`,
    );
  });
});

describe("downloadHubFiles", () => {
  it("stores the exact bytes of each selected file, following the LFS redirect without the token", async () => {
    const result = await downloadHubFiles(config({ HF_TOKEN: "hf_token" }), store, logger, {
      repoId: "acme/resnet",
      allowPatterns: ["model.onnx", "config.json"],
    });
    expect(result.commitSha).toBe(hub.commitOf("acme/resnet", "main"));
    expect(result.files).toEqual([
      {
        path: "config.json",
        sha256: sha256Of(configJson),
        sizeBytes: configJson.length,
        contentType: "application/json",
        created: true,
      },
      {
        path: "model.onnx",
        sha256: sha256Of(onnx),
        sizeBytes: onnx.length,
        contentType: "application/octet-stream",
        created: true,
      },
    ]);
    expect(await readBlob(store, sha256Of(onnx))).toBe(onnx.toString());
    expect(await readBlob(store, sha256Of(configJson))).toBe(configJson);
    const commit = hub.commitOf("acme/resnet", "main");
    const downloads = hub.requests.filter((request) => !request.path.startsWith("/api/"));
    expect(downloads).toEqual([
      { server: "hub", path: `/acme/resnet/resolve/${commit}/config.json`, authorization: "Bearer hf_token" },
      { server: "hub", path: `/acme/resnet/resolve/${commit}/model.onnx`, authorization: "Bearer hf_token" },
      { server: "cdn", path: `/lfs/${sha256Of(onnx)}?signature=secret`, authorization: null },
    ]);
  });

  it("downloads a revision with a slash at its commit", async () => {
    const result = await downloadHubFiles(config(), store, logger, {
      repoId: "acme/resnet",
      revision: "refs/pr/1",
    });
    expect(result.files.map((file) => file.path)).toEqual(["model.onnx"]);
    expect(await readBlob(store, result.files[0]!.sha256)).toBe("model from the pull request");
  });

  it("fails with SERVICE_UNAVAILABLE and leaves no blob when the connection drops midway", async () => {
    hub.addRepo({
      id: "flaky/drop",
      revisions: {
        main: { "a.json": { content: "first file" }, "b.onnx": { content: onnx, dropAfterBytes: 100 } },
      },
    });
    const error = await failure(downloadHubFiles(config(), store, logger, { repoId: "flaky/drop" }));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toContain("the connection closed before the transfer finished");
    expect(await storedHashes(store)).toEqual([]);
  });

  it("detects a body shorter than the listing even when the connection closes cleanly", async () => {
    hub.addRepo({ id: "flaky/short", revisions: { main: { "m.onnx": { content: onnx, truncateTo: 10 } } } });
    const error = await failure(downloadHubFiles(config(), store, logger, { repoId: "flaky/short" }));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toBe(
      `${new URL(hub.endpoint).host} announced 10 bytes for "m.onnx" but the listing says ${onnx.length}; retry the import`,
    );
    expect(await storedHashes(store)).toEqual([]);
  });

  it("detects a short body sent without a length by comparing with the listing", async () => {
    hub.addRepo({
      id: "flaky/chunked",
      revisions: { main: { "m.onnx": { content: onnx, truncateTo: 10, chunked: true } } },
    });
    const error = await failure(downloadHubFiles(config(), store, logger, { repoId: "flaky/chunked" }));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toBe(
      `The download of "m.onnx" from ${new URL(hub.endpoint).host} stopped at 10 of ${onnx.length} bytes; retry the import`,
    );
    expect(await storedHashes(store)).toEqual([]);
  });

  it("rejects LFS content whose sha256 differs from the listing and removes it", async () => {
    const corrupt = Buffer.alloc(onnx.length, "x");
    hub.addRepo({
      id: "flaky/corrupt",
      revisions: { main: { "m.onnx": { content: onnx, lfs: true, corruptWith: corrupt } } },
    });
    const error = await failure(downloadHubFiles(config(), store, logger, { repoId: "flaky/corrupt" }));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toContain(`has sha256 ${sha256Of(corrupt)}, but the Hub lists ${sha256Of(onnx)}`);
    expect(await storedHashes(store)).toEqual([]);
  });

  it("gives up on a stalled transfer after the idle timeout and leaves nothing", async () => {
    hub.addRepo({
      id: "flaky/stall",
      revisions: { main: { "m.onnx": { content: onnx, stallAfterBytes: 10 } } },
    });
    const error = await failure(
      downloadHubFiles(
        config(),
        store,
        logger,
        { repoId: "flaky/stall" },
        { network: { idleTimeoutMs: 200 } },
      ),
    );
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toContain("the transfer stalled for 0.2 s");
    expect(await storedHashes(store)).toEqual([]);
  });

  it("stops when the caller aborts, with the caller's reason, and leaves nothing", async () => {
    hub.addRepo({
      id: "flaky/abort",
      revisions: {
        main: { "a.json": { content: "done early" }, "b.onnx": { content: onnx, stallAfterBytes: 10 } },
      },
    });
    const controller = new AbortController();
    const reason = new Error("client went away");
    setTimeout(() => controller.abort(reason), 300);
    const outcome = downloadHubFiles(
      config(),
      store,
      logger,
      { repoId: "flaky/abort" },
      { signal: controller.signal },
    );
    await expect(outcome).rejects.toBe(reason);
    expect(await storedHashes(store)).toEqual([]);
  });

  it("answers PAYLOAD_TOO_LARGE for a file over the limit before downloading anything", async () => {
    const error = await failure(
      downloadHubFiles(config({ TESSERA_MAX_UPLOAD_BYTES: "500" }), store, logger, { repoId: "acme/resnet" }),
    );
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe(
      '"model.onnx" is 1 KiB, over the limit of 500 bytes per file (TESSERA_MAX_UPLOAD_BYTES)',
    );
    expect(hub.requests.some((request) => request.path.includes("/resolve/"))).toBe(false);
    expect(await storedHashes(store)).toEqual([]);
  });

  it("answers PAYLOAD_TOO_LARGE when the files together pass the import's cap", async () => {
    const error = await failure(
      downloadHubFiles(
        config(),
        store,
        logger,
        { repoId: "acme/resnet", allowPatterns: ["*.onnx"] },
        { maxTotalBytes: 1200 },
      ),
    );
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe(
      "The selected files add up to 1.5 KiB; one import may bring at most 1.2 KiB. Narrow the selection with allowPatterns or ignorePatterns.",
    );
    expect(await storedHashes(store)).toEqual([]);
  });

  it("keeps a blob that was stored before the failed import", async () => {
    const existing = await store.put(Readable.from([Buffer.from("first file")]));
    await failure(downloadHubFiles(config(), store, logger, { repoId: "flaky/shared" }));
    expect(await storedHashes(store)).toEqual([existing.sha256]);
  });

  it("hands every stored blob to releaseBlobs when the caller tracks references", async () => {
    await store.put(Readable.from([Buffer.from("first file")]));
    const released: string[][] = [];
    const releaseBlobs = async (hashes: string[]) => void released.push(hashes);
    await failure(downloadHubFiles(config(), store, logger, { repoId: "flaky/shared" }, { releaseBlobs }));
    expect(released).toEqual([[sha256Of("first file"), sha256Of("second file")]]);
    expect(await storedHashes(store)).toEqual([sha256Of("first file"), sha256Of("second file")].sort());
  });
});

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
