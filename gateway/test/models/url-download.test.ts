import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { downloadUrl, fileNameFromContentDisposition } from "../../src/models/url-download";
import { createLogger } from "../../src/logger";
import type { LocalBlobStore } from "../../src/storage/local-blob-store";
import { FakeHub } from "../support/fake-hub";
import { importConfig, readBlob, sha256Of, storedHashes, tempBlobStore } from "../support/import-fixtures";

const weights = Buffer.from("tensor bytes ".repeat(100));

const logger = createLogger({ level: "silent" });

let hub: FakeHub;
let store: LocalBlobStore;
let removeStore: () => Promise<void>;

beforeAll(async () => {
  hub = await FakeHub.start();
});
afterAll(() => hub.close());

beforeEach(async () => {
  ({ store, remove: removeStore } = await tempBlobStore());
  hub.requests.length = 0;
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

describe("downloadUrl", () => {
  it("stores the file under the name Content-Disposition gives", async () => {
    const url = hub.serveFile("download?id=7", {
      content: weights,
      contentDisposition: 'attachment; filename="resnet.onnx"',
    });
    const file = await downloadUrl(config(), store, logger, url);
    expect(file).toEqual({
      path: "resnet.onnx",
      sha256: sha256Of(weights),
      sizeBytes: weights.length,
      contentType: "application/octet-stream",
      created: true,
      sourceUrl: `${hub.endpoint}/files/download`,
    });
    expect(await readBlob(store, file.sha256)).toBe(weights.toString());
  });

  it("names the file by the URL path after following a redirect, and sends no token off the Hub", async () => {
    const target = hub.serveFile("blobs/abc123", { content: "{}", contentType: "application/json" });
    const url = hub.serveFile("models/config.json", { content: "", redirectTo: target });
    const file = await downloadUrl(
      config({ HF_TOKEN: "hf_token", HF_ENDPOINT: "http://127.0.0.2" }),
      store,
      logger,
      url,
    );
    expect(file.path).toBe("config.json");
    expect(file.sourceUrl).toBe(target);
    expect(hub.requests.map((request) => request.authorization)).toEqual([null, null]);
  });

  it("sends the token to a URL on HF_ENDPOINT", async () => {
    const url = hub.serveFile("org/name/resolve/main/model.onnx", { content: weights });
    await downloadUrl(config({ HF_TOKEN: "hf_token" }), store, logger, url);
    expect(hub.requests.map((request) => request.authorization)).toEqual(["Bearer hf_token"]);
  });

  it("answers PAYLOAD_TOO_LARGE while streaming a file of unannounced size, leaving nothing", async () => {
    const url = hub.serveFile("big.bin", { content: weights, chunked: true });
    const error = await failure(
      downloadUrl(config({ TESSERA_MAX_UPLOAD_BYTES: "1000" }), store, logger, url),
    );
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe(
      '"big.bin" is larger than the limit of 1000 bytes per file (TESSERA_MAX_UPLOAD_BYTES)',
    );
    expect(await storedHashes(store)).toEqual([]);
  });

  it("maps the server's answer to NOT_FOUND, FORBIDDEN or SERVICE_UNAVAILABLE", async () => {
    const answers = { 404: "NOT_FOUND", 403: "FORBIDDEN", 502: "SERVICE_UNAVAILABLE", 400: "BAD_USER_INPUT" };
    for (const [status, code] of Object.entries(answers)) {
      const url = hub.serveFile(`status-${status}.onnx`, { content: "", status: Number(status) });
      expect((await failure(downloadUrl(config(), store, logger, url))).code).toBe(code);
    }
    const missing = await failure(
      downloadUrl(config(), store, logger, `${hub.endpoint}/files/status-404.onnx?token=secret`),
    );
    expect(missing.message).toBe(`Nothing to download at ${hub.endpoint}/files/status-404.onnx (HTTP 404)`);
  });

  it("gives up after five redirects", async () => {
    const loop = hub.serveFile("loop", { content: "", redirectTo: "/files/loop" });
    const error = await failure(downloadUrl(config(), store, logger, loop));
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.message).toBe(`${new URL(hub.endpoint).host} redirected more than 5 times; giving up`);
  });

  it("accepts only http(s) URLs without credentials", async () => {
    for (const url of [
      "file:///etc/passwd",
      "ftp://example.com/model.onnx",
      "not a url",
      "http://user:pw@127.0.0.1/x",
    ]) {
      expect((await failure(downloadUrl(config(), store, logger, url))).code).toBe("BAD_USER_INPUT");
    }
  });

  it("refuses internal addresses unless HF_ENDPOINT itself is internal", async () => {
    const url = hub.serveFile("model.onnx", { content: weights });
    const publicHub = config({ HF_ENDPOINT: "https://8.8.8.8" });
    const literal = await failure(downloadUrl(publicHub, store, logger, url));
    expect(literal.code).toBe("FORBIDDEN");
    expect(literal.message).toBe(
      "Refusing to connect to 127.0.0.1: it is a loopback, private or link-local address. " +
        "Imports may reach internal addresses only when HF_ENDPOINT itself is on an internal network.",
    );
    const byName = await failure(
      downloadUrl(publicHub, store, logger, url.replace("127.0.0.1", "localhost")),
    );
    expect(byName.code).toBe("FORBIDDEN");
    expect(byName.message).toMatch(/^Refusing to connect to localhost \((127\.0\.0\.1|::1)\)/);
    expect(hub.requests).toEqual([]);

    const allowed = await downloadUrl(publicHub, store, logger, url, {
      network: { allowInternalAddresses: true },
    });
    expect(allowed.sizeBytes).toBe(weights.length);
  });
});

describe("fileNameFromContentDisposition", () => {
  it("reads filename* before filename and keeps only the last path segment", () => {
    expect(fileNameFromContentDisposition("attachment; filename=model.onnx")).toBe("model.onnx");
    expect(fileNameFromContentDisposition('attachment; filename="a \\"b\\".onnx"')).toBe('a "b".onnx');
    expect(
      fileNameFromContentDisposition(
        "attachment; filename=\"fallback.bin\"; filename*=UTF-8''mod%C3%A8le.onnx",
      ),
    ).toBe("modèle.onnx");
    expect(fileNameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe("passwd");
    expect(fileNameFromContentDisposition('attachment; filename=".."')).toBeNull();
    expect(fileNameFromContentDisposition("inline")).toBeNull();
    expect(fileNameFromContentDisposition(null)).toBeNull();
  });
});
