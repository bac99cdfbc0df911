import { randomBytes } from "node:crypto";
import net from "node:net";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { multipartBody, startTestGateway, type TestGateway } from "../support/gateway";
import { craftZip, type CraftedEntry } from "../archives/craft-zip";
import {
  expectError,
  namedFiles,
  sha256Of,
  storedState,
  UPLOAD_MODEL,
  uploadArchive,
  uploadModel,
} from "./operations";

const LIMIT = 64 * 1024;

let gateway: TestGateway;
let before: Awaited<ReturnType<typeof storedState>>;

beforeAll(async () => {
  gateway = await startTestGateway({
    env: {
      TESSERA_MAX_UPLOAD_BYTES: String(LIMIT),
      TESSERA_ZIP_MAX_ENTRIES: "5",
      TESSERA_ZIP_MAX_UNCOMPRESSED_BYTES: String(48 * 1024),
    },
  });
  // Something already stored, so "nothing changed" also covers blobs that were there before.
  await uploadModel(gateway, { slug: "existing" }, { "model.pt": "existing weights", "config.json": "{}" });
});
afterAll(() => gateway?.stop());

beforeEach(async () => {
  before = await storedState(gateway);
});

/** No new rows, the same blob files on disk, no temp files. */
async function expectNothingStored() {
  expect(await storedState(gateway)).toEqual(before);
}

const upload = (slug: string, files: Record<string, Buffer | string>) =>
  gateway.upload(UPLOAD_MODEL, { input: { slug } }, namedFiles(files));

const archive = (entries: CraftedEntry[], preserveStructure?: boolean) =>
  uploadArchive(gateway, { slug: "from-zip" }, craftZip(entries), preserveStructure);

const weights = (text: string) => ({ content: Buffer.from(text) });

describe("upload size limit", () => {
  it("refuses a file one byte over the limit with PAYLOAD_TOO_LARGE", async () => {
    const body = await upload("too-large", { "model.pt": randomBytes(LIMIT + 1) });
    expectError(body, "PAYLOAD_TOO_LARGE", `larger than the upload limit of ${LIMIT} bytes`);
    await expectNothingStored();
  });

  it("refuses a file far over the limit while it streams", async () => {
    const body = await upload("far-too-large", { "model.pt": randomBytes(16 * LIMIT) });
    expectError(body, "PAYLOAD_TOO_LARGE");
    await expectNothingStored();
  });

  it("releases the files already stored when a later file is over the limit", async () => {
    const body = await upload("second-too-large", {
      "small.pt": "fits within the limit",
      "large.pt": randomBytes(LIMIT + 100),
    });
    expectError(body, "PAYLOAD_TOO_LARGE");
    await expectNothingStored();
  });

  it("accepts a file of exactly the limit", async () => {
    const content = randomBytes(LIMIT);
    const version = await uploadModel(gateway, { slug: "at-the-limit" }, { "model.pt": content });
    expect(version.files[0]!.sizeBytes).toBe(LIMIT);
    expect(await gateway.blobFiles()).toEqual([...before.blobFiles, sha256Of(content)].sort());
  });
});

describe("files a version cannot have", () => {
  it("refuses an empty file", async () => {
    expectError(await upload("empty", { "model.pt": "" }), "BAD_USER_INPUT", 'The file "model.pt" is empty');
    await expectNothingStored();
  });

  it("refuses an empty file after a good one, releasing the good one", async () => {
    const body = await upload("empty-second", { "model.pt": "good weights here", "empty.json": "" });
    expectError(body, "BAD_USER_INPUT", 'The file "empty.json" is empty');
    await expectNothingStored();
  });

  it("refuses two files with the same path in one upload", async () => {
    const body = await gateway.upload(UPLOAD_MODEL, { input: { slug: "twice" } }, [
      { variable: "files.0", filename: "model.pt", content: Buffer.from("first copy") },
      { variable: "files.1", filename: "model.pt", content: Buffer.from("second copy") },
    ]);
    expectError(body, "BAD_USER_INPUT", 'The file "model.pt" appears twice');
    await expectNothingStored();
  });

  it("refuses a file named `..`", async () => {
    const body = await upload("dots", { "..": "sneaky" });
    // A multipart parser may reduce the name to ""; either way it must be refused.
    expectError(body, "BAD_USER_INPUT", /^File path "(\.\.)?" is not allowed/);
    await expectNothingStored();
  });

  it("refuses a slug with illegal characters before reading any file", async () => {
    for (const slug of ["Has Space", "UPPER", "-leading", "trailing-", "a/b", "..", "", "x".repeat(101)]) {
      const body = await upload(slug, { "model.pt": "weights for a bad slug" });
      expectError(body, "BAD_USER_INPUT", `Slug "${slug}" is invalid`);
      expect(body.errors![0]!.extensions!.field).toBe("slug");
    }
    await expectNothingStored();
  });
});

describe("ZIP archives that are refused", () => {
  const cases: Array<[string, CraftedEntry[], string, RegExp]> = [
    [
      "an entry that climbs out with ../",
      [
        { name: "model/ok.pt", ...weights("fine") },
        { name: "model/../../evil.pt", ...weights("evil") },
      ],
      "BAD_USER_INPUT",
      /Archive entry "model\/..\/..\/evil.pt" contains ".."/,
    ],
    [
      "an absolute entry path",
      [{ name: "/etc/model.pt", ...weights("absolute") }],
      "BAD_USER_INPUT",
      /Archive entry "\/etc\/model.pt" is an absolute path/,
    ],
    [
      "a drive-letter entry path",
      [{ name: "C:\\models\\model.pt", ...weights("windows") }],
      "BAD_USER_INPUT",
      /starts with a drive letter/,
    ],
    [
      "a symbolic link",
      [
        { name: "model.pt", ...weights("real") },
        { name: "passwd.pt", content: Buffer.from("/etc/passwd"), externalAttributes: 0o120777 << 16 },
      ],
      "BAD_USER_INPUT",
      /Archive entry "passwd.pt" is a symbolic link/,
    ],
    [
      "more entries than the limit",
      Array.from({ length: 6 }, (_, index) => ({ name: `part-${index}.pt`, ...weights(`part ${index}`) })),
      "PAYLOAD_TOO_LARGE",
      /The archive has 6 entries; the limit is 5 entries/,
    ],
    [
      "more uncompressed bytes than the limit",
      [{ name: "zeros.pt", content: Buffer.alloc(49 * 1024) }],
      "PAYLOAD_TOO_LARGE",
      /brings the uncompressed total to 50176 bytes/,
    ],
    [
      "an entry holding more than its header declares",
      [
        { name: "honest.pt", ...weights("honest entry") },
        { name: "bomb.bin", content: Buffer.alloc(4000), declaredSize: 10 },
      ],
      "BAD_USER_INPUT",
      /Archive entry "bomb.bin" holds more than the 10 bytes its header declares/,
    ],
    [
      "entries that overlap",
      [
        { name: "a.pt", ...weights("shared bytes") },
        { name: "b.pt", ...weights("shared bytes"), centralOnly: true, localHeaderOffset: 0 },
      ],
      "BAD_USER_INPUT",
      /Archive entries "a.pt" and "b.pt" overlap/,
    ],
    [
      "two entries with the same path",
      [
        { name: "model.pt", ...weights("one") },
        { name: "./model.pt", ...weights("two") },
      ],
      "BAD_USER_INPUT",
      /Archive entry ".\/model.pt" has the same path as "model.pt"/,
    ],
    [
      "only Finder metadata",
      [
        { name: "__MACOSX/._model.pt", ...weights("fork") },
        { name: ".DS_Store", ...weights("finder") },
      ],
      "BAD_USER_INPUT",
      /The archive contains no files/,
    ],
  ];

  for (const [what, entries, code, message] of cases) {
    it(`refuses ${what}`, async () => {
      expectError(await archive(entries), code, message);
      await expectNothingStored();
    });
  }

  it("refuses files that collide once the folders are flattened", async () => {
    const entries = [
      { name: "encoder/config.json", ...weights('{"encoder":1}') },
      { name: "decoder/config.json", ...weights('{"decoder":1}') },
      { name: "model.pt", ...weights("flattened model") },
    ];
    expectError(await archive(entries, false), "BAD_USER_INPUT", 'The file "config.json" appears twice');
    await expectNothingStored();
  });

  it("refuses a truncated ZIP", async () => {
    const whole = craftZip([{ name: "model.pt", ...weights("truncated archive content") }]);
    const body = await uploadArchive(gateway, { slug: "from-zip" }, whole.subarray(0, whole.length - 30));
    expectError(body, "BAD_USER_INPUT", /^The ZIP archive is truncated/);
    await expectNothingStored();
  });

  it("refuses a file that is not a ZIP", async () => {
    const body = await uploadArchive(
      gateway,
      { slug: "from-zip" },
      Buffer.from("just some text, not an archive"),
    );
    expectError(body, "BAD_USER_INPUT", "The archive is not a ZIP file");
    await expectNothingStored();
  });

  it("refuses an empty archive file", async () => {
    const body = await uploadArchive(gateway, { slug: "from-zip" }, Buffer.alloc(0));
    expectError(body, "BAD_USER_INPUT", 'The file "model.zip" is empty');
    await expectNothingStored();
  });
});

describe("multipart requests whose form does not add up", () => {
  const boundary = "tessera-malformed";
  const operations = (files: number) =>
    JSON.stringify({
      query: UPLOAD_MODEL,
      variables: { input: { slug: "malformed" }, files: Array(files).fill(null) },
    });
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const fileHead = (name: string, filename: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; ${filename}\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  const file = (name: string, content: string, filename = 'filename="model.pt"') =>
    `${fileHead(name, filename)}${content}\r\n`;
  const end = `--${boundary}--\r\n`;

  async function post(body: string) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "apollo-require-preflight": "true",
        authorization: `Bearer ${gateway.adminToken}`,
      },
      body,
    });
    return (await response.json()) as Parameters<typeof expectError>[0];
  }

  const cases: Array<[string, string, string, string | RegExp]> = [
    [
      "a map naming a file part that is not there",
      field("operations", operations(2)) +
        field("map", JSON.stringify({ 0: ["variables.files.0"], 1: ["variables.files.1"] })) +
        file("0", "the one file that came") +
        end,
      "$files.1",
      'The file for "$files.1" did not arrive: File missing in the request.',
    ],
    [
      "no file part at all",
      field("operations", operations(1)) + field("map", JSON.stringify({ 0: ["variables.files.0"] })) + end,
      "$files.0",
      'The file for "$files.0" did not arrive',
    ],
    [
      "a body that stops in the middle of the file",
      field("operations", operations(1)) +
        field("map", JSON.stringify({ 0: ["variables.files.0"] })) +
        fileHead("0", 'filename="model.pt"') +
        "the first half of the weig",
      "$files.0",
      'The file for "$files.0" broke off: Unexpected end of form',
    ],
    [
      "one file mapped to two variables",
      field("operations", operations(2)) +
        field("map", JSON.stringify({ 0: ["variables.files.0", "variables.files.1"] })) +
        file("0", "one file, two places") +
        end,
      "$files.1",
      'The multipart map puts one file at both "$files.0" and "$files.1"; send a file part for each',
    ],
    [
      "a file name holding a NUL byte (percent-encoded, as RFC 5987 allows)",
      field("operations", operations(1)) +
        field("map", JSON.stringify({ 0: ["variables.files.0"] })) +
        file("0", "weights", "filename*=UTF-8''model%00.pt") +
        end,
      "$files.0",
      'The name of the file sent for "$files.0" contains a NUL byte (U+0000)',
    ],
    [
      // graphql-upload-minimal alone crashes the process on this one.
      "a raw NUL byte in a part header",
      field("operations", operations(1)) +
        field("map", JSON.stringify({ 0: ["variables.files.0"] })) +
        file("0", "weights", 'filename="model\0.pt"') +
        end,
      "$files.0",
      'The file for "$files.0" did not arrive: Malformed part header',
    ],
  ];

  for (const [what, body, fieldName, message] of cases) {
    it(`refuses ${what} with BAD_USER_INPUT naming ${fieldName}, storing nothing`, async () => {
      const answer = await post(body);
      expectError(answer, "BAD_USER_INPUT", message);
      expect(answer.errors![0]!.extensions!.field).toBe(fieldName);
      await expectNothingStored();
      expect(await gateway.gql("{ me { handle } }")).toEqual({ data: { me: { handle: "admin" } } });
    });
  }
});

describe("a client that disconnects mid-upload", () => {
  it("leaves no rows, no blobs and no temp files, and the gateway keeps answering", async () => {
    const complete = "a first file that arrives whole";
    const partial = new PassThrough();
    const body = multipartBody(UPLOAD_MODEL, { input: { slug: "interrupted" } }, [
      { variable: "files.0", filename: "first.pt", content: Buffer.from(complete) },
      { variable: "files.1", filename: "second.pt", content: partial },
    ]);
    const { port } = new URL(gateway.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.on("error", () => {});
    socket.write(
      "POST /graphql HTTP/1.1\r\n" +
        `Host: 127.0.0.1:${port}\r\n` +
        `Content-Type: ${body.contentType}\r\n` +
        // More than will ever come: the server waits for the rest until the socket goes away.
        `Content-Length: ${10 * LIMIT}\r\n` +
        "apollo-require-preflight: true\r\n" +
        `Authorization: Bearer ${gateway.adminToken}\r\n\r\n`,
    );
    const sending = (async () => {
      for await (const chunk of body.chunks()) socket.write(chunk);
    })();
    partial.write(randomBytes(LIMIT / 2));

    // The first file is in the blob store and the second is being written when the client goes.
    await until(async () => (await gateway.blobFiles()).includes(sha256Of(complete)));
    await until(async () => (await gateway.tempFileCount()) > 0);
    socket.destroy();
    partial.destroy();
    await sending.catch(() => {});

    await until(async () => (await gateway.tempFileCount()) === 0);
    await until(async () => (await gateway.blobFiles()).length === before.blobFiles.length);
    await expectNothingStored();
    expect(await gateway.gql("{ me { handle } }")).toEqual({ data: { me: { handle: "admin" } } });
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
