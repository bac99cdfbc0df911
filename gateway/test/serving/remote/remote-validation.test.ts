import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors";
import { limits } from "../../../src/limits";
import { validRemoteModel } from "../../../src/serving/remote/remote-validation";
import { KEY_FILE, SecretBox } from "../../../src/serving/remote/secret-box";
import type { RegisterRemoteModelInput } from "../../../src/serving/serving.types";

const input = (patch: Partial<RegisterRemoteModelInput> = {}): RegisterRemoteModelInput => ({
  slug: "colours-online",
  url: "https://api.example.com/v1/",
  remoteModel: "colours",
  labels: ["red", "green"],
  ...patch,
});

async function refusal(patch: Partial<RegisterRemoteModelInput>, allowInternal = false) {
  const error = await validRemoteModel(input(patch), allowInternal).then(
    () => expect.fail("expected a refusal"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  const { code, message, details } = error as AppError;
  return { code, field: details.field, message };
}

describe("validRemoteModel", () => {
  it("normalises a valid registration and fills the defaults", async () => {
    expect(await validRemoteModel(input({ secret: "tok" }), false)).toEqual({
      slug: "colours-online",
      url: "https://api.example.com/v1",
      host: "api.example.com",
      secret: "tok",
      remoteModel: "colours",
      labels: ["red", "green"],
      timeoutMs: limits.serving.remote.timeoutMs.default,
      perMinute: null,
      perHour: null,
      description: undefined,
    });
  });

  it.each([
    ["ftp://api.example.com", "BAD_USER_INPUT"],
    ["javascript:alert(1)", "BAD_USER_INPUT"],
    ["not a url", "BAD_USER_INPUT"],
    ["https://user:pw@api.example.com", "BAD_USER_INPUT"],
    ["https://api.example.com/?key=1", "BAD_USER_INPUT"],
    ["http://127.0.0.1:8080", "FORBIDDEN"],
    ["http://localhost:8080", "FORBIDDEN"],
    ["http://10.1.2.3", "FORBIDDEN"],
    ["http://169.254.169.254/latest", "FORBIDDEN"],
    ["http://[::1]:80", "FORBIDDEN"],
    ["http://[::ffff:192.168.0.1]", "FORBIDDEN"],
  ])("refuses the url %s (%s)", async (url, code) => {
    expect((await refusal({ url })).code).toBe(code);
  });

  it("accepts an internal address when the operator allows internal addresses", async () => {
    expect((await validRemoteModel(input({ url: "http://127.0.0.1:8080" }), true)).host).toBe(
      "127.0.0.1:8080",
    );
  });

  it.each([
    [{ labels: [] }, "labels"],
    [{ labels: ["red", " "] }, "labels[1]"],
    [{ labels: ["red", "green", "red"] }, "labels[2]"],
    [{ labels: Array.from({ length: limits.serving.remote.labels + 1 }, (_, i) => `c${i}`) }, "labels"],
    [{ labels: ["x".repeat(limits.serving.remote.labelLength + 1)] }, "labels[0]"],
    [{ timeoutMs: limits.serving.remote.timeoutMs.min - 1 }, "timeoutMs"],
    [{ timeoutMs: limits.serving.remote.timeoutMs.max + 1 }, "timeoutMs"],
    [{ rateLimit: { perMinute: 0 } }, "rateLimit.perMinute"],
    [{ rateLimit: { perHour: limits.serving.remote.perHour + 1 } }, "rateLimit.perHour"],
    [{ remoteModel: "  " }, "remoteModel"],
    [{ secret: "" }, "secret"],
    [{ secret: "tok\r\nX-Evil: 1" }, "secret"],
    [{ secret: "x".repeat(limits.serving.remote.secretLength + 1) }, "secret"],
    [{ slug: "Not A Slug" }, "slug"],
  ])("refuses %j (field %s)", async (patch, field) => {
    const { code, field: named, message } = await refusal(patch as Partial<RegisterRemoteModelInput>);
    expect({ code, field: named }).toEqual({ code: "BAD_USER_INPUT", field });
    expect(message).not.toContain("X-Evil");
  });
});

describe("SecretBox", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tessera-secret-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("seals with AES-256-GCM bound to its context: another context or a flipped bit does not open", async () => {
    const box = await SecretBox.open(randomBytes(32).toString("base64"), await tempDir());
    const sealed = box.seal("s3cret", "version-a");
    expect(sealed.length).toBe(12 + 16 + "s3cret".length);
    expect(sealed.includes(Buffer.from("s3cret"))).toBe(false);
    expect(box.open(sealed, "version-a")).toBe("s3cret");
    expect(() => box.open(sealed, "version-b")).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => box.open(flipped, "version-a")).toThrow();
  });

  it("refuses a TESSERA_SECRET_KEY that is not 32 bytes", async () => {
    await expect(SecretBox.open(randomBytes(16).toString("base64"), await tempDir())).rejects.toThrow(
      "TESSERA_SECRET_KEY must be base64 of 32 bytes, got 16 bytes",
    );
  });

  it("creates a 0600 key file once and reuses it; refuses one other users can read", async () => {
    const dir = await tempDir();
    const first = await SecretBox.open(null, dir);
    const file = path.join(dir, KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from(await readFile(file, "utf8"), "base64").length).toBe(32);
    const second = await SecretBox.open(null, dir);
    expect(second.open(first.seal("x", "v"), "v")).toBe("x");
    await chmod(file, 0o644);
    await expect(SecretBox.open(null, dir)).rejects.toThrow("is readable by other users (mode 644)");
  });
});
