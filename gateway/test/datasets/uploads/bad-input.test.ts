import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { multipartBody, startTestGateway, type TestGateway } from "../../support/gateway";
import {
  generateTextureDataset,
  zipDatasetFiles,
  type DatasetFile,
  type TextureDataset,
} from "../../support/texture-dataset";
import { craftZip } from "../../archives/craft-zip";
import { postDatasetZip, storedState, uploadDatasetZip } from "./dataset-uploads";

let gateway: TestGateway;
let textures: TextureDataset;
beforeAll(async () => {
  [gateway, textures] = await Promise.all([
    startTestGateway(),
    generateTextureDataset({
      classes: 2,
      imagesPerClass: 3,
      seed: 3,
      inject: [
        "not-an-image",
        "truncated-jpeg",
        "zero-bytes",
        "macosx",
        "dot-files",
        "nested-folder",
        "animated-gif",
        "pixel-bomb",
      ],
    }),
  ]);
});
afterAll(() => gateway?.stop());

const someImage = () => textures.files.find((f) => f.path === textures.images[0]!.path)!.bytes;

describe("files uploadDataset skips, each with its reason", () => {
  it("skips bad files one by one and keeps the images, nested and animated ones included", async () => {
    const result = await uploadDatasetZip(
      gateway,
      { name: "with-bad-files" },
      await zipDatasetFiles(textures.files),
    );
    expect(result.skipped).toEqual([
      {
        path: "red-stripes/not-an-image.jpg",
        reason: "The file is not a JPEG, PNG, WebP or GIF image (32 bytes starting 54 68 65 73 65 20 61 72)",
      },
      {
        path: "red-stripes/truncated.jpg",
        // The tail is libvips' own wording. Images are decoded concurrently here, and libvips has
        // one error buffer per process, so another failure may have taken it: then no tail at all,
        // never "Unknown error".
        reason: expect.stringMatching(/^The JPEG image is truncated or corrupt(: .*premature end.*)?$/),
      },
      { path: "red-stripes/empty.png", reason: "The file is empty; expected JPEG, PNG, WebP or GIF bytes" },
      {
        path: "__MACOSX/red-stripes/._red-stripes-000.jpg",
        reason: "macOS metadata (__MACOSX, ._ or .DS_Store), not an image",
      },
      { path: "red-stripes/.DS_Store", reason: "macOS metadata (__MACOSX, ._ or .DS_Store), not an image" },
      { path: ".hidden/secret.jpg", reason: "a hidden file or folder (its name starts with a dot)" },
      {
        path: "red-stripes/huge.png",
        reason: "The image is 100000×100000 pixels (10000 MP); at most 50 MP are accepted",
      },
    ]);
    expect(result.version.skipped).toEqual(result.skipped);
    // 6 clean images, the nested copy and the animated GIF.
    expect(result).toMatchObject({ imageCount: 8, classCount: 2 });
    const samples = await gateway.prisma.sample.findMany({ where: { datasetId: result.dataset.id } });
    const byPath = new Map(samples.map((s) => [s.originalPath, s]));
    expect(byPath.get("red-stripes/animated.gif")).toMatchObject({
      format: "gif",
      frameCount: 3,
      width: 96,
      height: 96,
    });
    const nested = await gateway.prisma.versionSample.findFirstOrThrow({
      where: { sample: { originalPath: "red-stripes/nested/deeper.jpg" } },
      include: { class: true },
    });
    expect(nested.class.name).toBe("red-stripes");
  });

  it("skips files at the archive root: they carry no class", async () => {
    const zip = await zipDatasetFiles([
      ...textures.files.slice(0, 6),
      { path: "loose.jpg", bytes: someImage() },
    ]);
    const result = await uploadDatasetZip(gateway, { name: "root-file" }, zip);
    expect(result.skipped).toEqual([
      {
        path: "loose.jpg",
        reason: "not inside a class folder: put each image in a folder named after its class",
      },
    ]);
    expect(result).toMatchObject({ imageCount: 6, classCount: 2 });
  });

  it("drops a single folder that wraps the class folders", async () => {
    const wrapped: DatasetFile[] = [
      ...textures.files.slice(0, 6).map((f) => ({ path: `my-dataset/${f.path}`, bytes: f.bytes })),
      { path: "my-dataset/README.txt", bytes: Buffer.from("about this dataset\n") },
    ];
    const result = await uploadDatasetZip(gateway, { name: "wrapped" }, await zipDatasetFiles(wrapped));
    expect(result).toMatchObject({ imageCount: 6, classCount: 2 });
    expect(result.skipped).toEqual([
      {
        path: "my-dataset/README.txt",
        reason: "not inside a class folder: put each image in a folder named after its class",
      },
    ]);
    const classes = await gateway.prisma.datasetClass.findMany({ where: { datasetId: result.dataset.id } });
    expect(classes.map((c) => c.name).sort()).toEqual(["green-checkerboard", "red-stripes"]);
    // The sample keeps the path it had in the upload.
    expect(
      await gateway.prisma.sample.count({
        where: { originalPath: { startsWith: "my-dataset/red-stripes/" } },
      }),
    ).toBe(3);
  });

  it("keeps a lone folder without subfolders as the one class", async () => {
    const result = await uploadDatasetZip(
      gateway,
      { name: "one-class" },
      await zipDatasetFiles(textures.files.slice(0, 3)),
    );
    expect(result).toMatchObject({ imageCount: 3, classCount: 1, skipped: [] });
  });
});

describe("archives uploadDataset refuses, storing nothing", () => {
  const refusals: Array<[string, () => Promise<Buffer>, RegExp]> = [
    [
      "an archive with no valid image",
      () =>
        zipDatasetFiles([
          { path: "cats/notes.txt", bytes: Buffer.from("not a picture") },
          { path: "loose.jpg", bytes: someImage() },
        ]),
      /^The archive holds no valid image: expected class folders of JPEG, PNG, WebP or GIF files; 2 file\(s\) were skipped$/,
    ],
    [
      "a file that is not a ZIP",
      async () => Buffer.from("just some text, no archive here"),
      /^The archive is not a ZIP file$/,
    ],
    [
      "a truncated ZIP",
      async () => {
        const zip = await zipDatasetFiles(textures.files.slice(0, 4));
        return zip.subarray(0, Math.floor(zip.length / 2));
      },
      /^The ZIP archive is truncated/,
    ],
    [
      "a zip-slip entry",
      async () =>
        craftZip([
          { name: "cats/ok.jpg", content: someImage() },
          { name: "../../escape/evil.jpg", content: someImage() },
        ]),
      /contains "\.\."/,
    ],
    [
      "an entry whose name holds a NUL byte",
      async () =>
        craftZip([
          { name: "cats/ok.jpg", content: someImage() },
          { name: "cats/a\0b.jpg", content: someImage() },
        ]),
      /^Archive entry "cats\/a\\u0000b\.jpg" contains a NUL byte$/,
    ],
  ];

  it.each(refusals)("refuses %s with BAD_USER_INPUT", async (_name, makeZip, message) => {
    const before = await storedState(gateway);
    const body = await postDatasetZip(gateway, { name: "refused" }, await makeZip());
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions?.code).toBe("BAD_USER_INPUT");
    expect(body.errors![0]!.message).toMatch(message);
    expect(await storedState(gateway)).toEqual(before);
    expect(await gateway.prisma.dataset.count({ where: { name: "refused" } })).toBe(0);
  });
});

describe("an upload refused before its archive is read", () => {
  const ADD_SAMPLES =
    "mutation ($d: ID!, $archive: Upload!) { addSamples(datasetId: $d, archive: $archive) { id } }";

  /** One request on a keep-alive agent, the way a Node client reuses its connections. */
  async function send(agent: http.Agent, variables: Record<string, unknown>, archive: Buffer) {
    const body = multipartBody(ADD_SAMPLES, variables, [
      { variable: "archive", filename: "a.zip", content: archive },
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of body.chunks()) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    return new Promise<{ code: unknown; connection?: string; socket: Socket }>((resolve, reject) => {
      const request = http.request(
        `${gateway.url}/graphql`,
        {
          agent,
          method: "POST",
          headers: {
            "content-type": body.contentType,
            "content-length": bytes.length,
            "apollo-require-preflight": "true",
            authorization: `Bearer ${gateway.adminToken}`,
          },
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on("data", (part: Buffer) => parts.push(part));
          response.on("end", () => {
            const answer = JSON.parse(Buffer.concat(parts).toString()) as {
              errors?: Array<{ extensions?: { code?: unknown } }>;
            };
            resolve({
              code: answer.errors?.[0]?.extensions?.code,
              connection: response.headers.connection,
              socket: request.socket!,
            });
          });
        },
      );
      request.on("error", reject);
      request.end(bytes);
    });
  }

  it("leaves a keep-alive client's next request working: no ECONNRESET, 10 times in a row", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Bigger than the socket buffers take in while the gateway answers without reading it.
    const archive = randomBytes(265 * 1024);
    try {
      for (let round = 0; round < 10; round += 1) {
        for (const _request of ["first", "second"]) {
          const answer = await send(agent, { d: randomUUID() }, archive);
          expect(answer.code).toBe("NOT_FOUND");
          // The rest of the body was never read, so this connection cannot carry another request.
          expect(answer.connection).toBe("close");
        }
      }
    } finally {
      agent.destroy();
    }
  });

  it("keeps the connection of an upload that was read to its end", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const dataset = await uploadDatasetZip(
      gateway,
      { name: "kept-alive" },
      await zipDatasetFiles(textures.files.slice(0, 3)),
    );
    try {
      // Read whole, then refused: not a ZIP.
      const first = await send(agent, { d: dataset.dataset.id }, Buffer.from("not a zip at all"));
      const second = await send(agent, { d: dataset.dataset.id }, Buffer.from("still not a zip"));
      expect([first.code, second.code]).toEqual(["BAD_USER_INPUT", "BAD_USER_INPUT"]);
      expect(first.connection).toBe("keep-alive");
      expect(second.socket).toBe(first.socket);
    } finally {
      agent.destroy();
    }
  });
});
