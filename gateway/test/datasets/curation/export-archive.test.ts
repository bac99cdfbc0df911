import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createZipStream, zipStreamSize } from "../../../src/archives/zip-writer";
import type { BlobStore } from "../../../src/storage/blob-store";
import { exportEntries, type ExportedSample } from "../../../src/datasets/export/export-archive";
import {
  classFolders,
  csvLine,
  exportFileName,
  safeSegment,
  UniqueNames,
} from "../../../src/datasets/export/export-names";
import { parseLabels, readZip } from "./read-zip";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Blobs by hash; counts how many are open at once, to prove the export reads one at a time. */
function memoryStore(contents: Buffer[]) {
  const blobs = new Map(contents.map((bytes) => [sha256(bytes), bytes]));
  const state = { open: 0, maxOpen: 0 };
  const store = {
    async openRead(hash: string) {
      state.open += 1;
      state.maxOpen = Math.max(state.maxOpen, state.open);
      const stream = Readable.from([blobs.get(hash)!]);
      stream.once("close", () => (state.open -= 1));
      return stream;
    },
  } as unknown as BlobStore;
  return { store, state };
}

function sample(
  bytes: Buffer,
  originalPath: string,
  className: string | null,
  extra: Partial<ExportedSample> = {},
) {
  return {
    id: `id-${originalPath}`,
    sha256: sha256(bytes),
    sizeBytes: bytes.length,
    originalPath,
    className,
    split: null,
    metadata: null,
    ...extra,
  };
}

describe("export names", () => {
  it("keeps plain names and makes unsafe ones safe for every extractor", () => {
    expect(safeSegment("red-stripes", false)).toBe("red-stripes");
    expect(safeSegment("Fußball café", false)).toBe("Fußball café");
    expect(safeSegment("a/b\\c", false)).toBe("a_b_c");
    expect(safeSegment("..", false)).toBe("_");
    expect(safeSegment(".hidden.jpg", true)).toBe("_hidden.jpg");
    expect(safeSegment("C:evil", false)).toBe("C_evil");
    expect(safeSegment("what?.png", true)).toBe("what_.png");
    expect(safeSegment("con.jpg", true)).toBe("_con.jpg");
    expect(safeSegment("dots...", false)).toBe("dots");
    const long = safeSegment(`${"é".repeat(200)}.jpeg`, true);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(255);
    expect(long.endsWith("é.jpeg")).toBe(true);
  });

  it("suffixes repeated names before the extension, ignoring case and skipping names taken", () => {
    const names = new UniqueNames();
    expect(["a.jpg", "A.JPG", "a-2.jpg", "a.jpg", "b"].map((name) => names.take(name, true))).toEqual([
      "a.jpg",
      "A-2.JPG",
      "a-2-2.jpg",
      "a-3.jpg",
      "b",
    ]);
  });

  it("gives each class a folder of its own, never the pool's, __MACOSX or labels.csv", () => {
    const folders = classFolders(["cat", "Cat", "a/b", "a_b", "_unlabeled", "__MACOSX", "labels.csv"]);
    expect([...folders.values()]).toEqual([
      "cat",
      "Cat-2",
      "a_b",
      "a_b-2",
      "_unlabeled-2",
      "__MACOSX-2",
      "labels.csv-2",
    ]);
  });

  it("quotes CSV fields with commas, quotes, line breaks or edge spaces (RFC 4180)", () => {
    expect(csvLine(["a", "b,c", 'say "hi"', "two\nlines", " pad", ""])).toBe(
      'a,"b,c","say ""hi""","two\nlines"," pad",\r\n',
    );
    expect(exportFileName("My data/set", 3)).toBe("My data_set-v3.zip");
  });
});

describe("exportEntries", () => {
  it("streams class folders, the pool and labels.csv, reading one image at a time", async () => {
    const images = [0, 1, 2, 3, 4].map((i) => Buffer.from(`image-${i}`.repeat(1000 + i)));
    const samples: ExportedSample[] = [
      sample(images[0]!, "up/cats/x.jpg", "cat", { split: "train", metadata: { note: 'a "b", c' } }),
      sample(images[1]!, "other/cats/X.jpg", "cat", { split: "test" }),
      sample(images[2]!, "weird/a,b.png", 'd/o"g'),
      sample(images[3]!, "_unlabeled/x.jpg", null),
      sample(images[0]!, "_unlabeled/copy.jpg", null, { metadata: { source: "url" } }),
    ];
    const { store, state } = memoryStore(images);
    const files = exportEntries(samples, store);
    const zip = await buffer(createZipStream(files));
    expect(zip.length).toBe(zipStreamSize(files));
    expect(state.maxOpen).toBe(1);

    const entries = await readZip(zip);
    expect(entries.map((entry) => entry.name)).toEqual([
      "labels.csv",
      "cat/x.jpg",
      "cat/X-2.jpg",
      "d_o_g/a,b.png",
      "_unlabeled/x.jpg",
      "_unlabeled/copy.jpg",
    ]);
    expect(entries.every((entry) => entry.compressionMethod === 0)).toBe(true);
    expect(entries.slice(1).map((entry) => sha256(entry.bytes))).toEqual(samples.map((s) => s.sha256));
    expect(parseLabels(entries[0]!.bytes)).toEqual([
      { path: "cat/x.jpg", label: "cat", split: "train", metadata: '{"note":"a \\"b\\", c"}' },
      { path: "cat/X-2.jpg", label: "cat", split: "test", metadata: "" },
      { path: "d_o_g/a,b.png", label: 'd/o"g', split: "", metadata: "" },
      { path: "_unlabeled/x.jpg", label: "", split: "unlabeled", metadata: "" },
      { path: "_unlabeled/copy.jpg", label: "", split: "unlabeled", metadata: '{"source":"url"}' },
    ]);
  });
});
