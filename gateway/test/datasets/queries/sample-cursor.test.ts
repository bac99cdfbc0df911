import { describe, expect, it } from "vitest";
import { decodeSampleCursor, encodeSampleCursor, START } from "../../../src/datasets/sample-cursor";
import { previousUuid } from "../../../src/datasets/sample-filter-stats";
import { pagesFromRows, toSample, type PageRow, type SampleColumns } from "../../../src/datasets/sample-rows";

const ID = "0f8e6c2a-3b1d-4e5f-9a7b-1c2d3e4f5a6b";

describe("sample cursors", () => {
  it("name a position and read back as the same position, whatever the path holds", () => {
    for (const originalPath of ["a/b.png", "", 'ü/空 "quoted"/\n.jpg']) {
      const cursor = encodeSampleCursor({ originalPath, id: ID });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeSampleCursor(cursor)).toEqual({ originalPath, id: ID });
    }
    expect(decodeSampleCursor(encodeSampleCursor({ originalPath: "x", id: ID.toUpperCase() }))).toEqual({
      originalPath: "x",
      id: ID,
    });
    expect(decodeSampleCursor(null)).toBeNull();
    expect(decodeSampleCursor("")).toBeNull();
  });

  it("refuse offsets of earlier releases and anything else as BAD_USER_INPUT on `after`", () => {
    const refused = [
      Buffer.from("offset:49").toString("base64url"),
      Buffer.from('path-id:["a.png","not-a-uuid"]').toString("base64url"),
      Buffer.from('path-id:["a.png"]').toString("base64url"),
      Buffer.from("path-id:{").toString("base64url"),
      "x".repeat(100_001),
      // Text PostgreSQL cannot hold: comparing with it would fail the batched statement.
      Buffer.from(`path-id:${JSON.stringify(["a\u0000b", ID])}`).toString("base64url"),
      Buffer.from(`path-id:["\\ud800", "${ID}"]`).toString("base64url"),
    ];
    for (const after of refused) {
      expect(() => decodeSampleCursor(after)).toThrow(
        expect.objectContaining({ code: "BAD_USER_INPUT", details: { field: "after" } }),
      );
    }
  });
});

describe("previousUuid", () => {
  it("is the UUID one less as a 128-bit number, borrowing across groups", () => {
    expect(previousUuid("00000000-0000-0000-0000-000000000001")).toBe(START.id);
    expect(previousUuid("0f8e6c2a-3b1d-4e5f-9a7b-1c2d3e4f5a6b")).toBe("0f8e6c2a-3b1d-4e5f-9a7b-1c2d3e4f5a6a");
    expect(previousUuid("12345678-0000-0000-0000-000000000000")).toBe("12345677-ffff-ffff-ffff-ffffffffffff");
  });
});

describe("pagesFromRows", () => {
  const row = (keyIndex: number, id: string | null): PageRow<SampleColumns> =>
    ({
      keyIndex,
      total: null,
      id,
      datasetId: "d",
      versionId: "v",
      sha256: "s",
      format: "png",
      width: 1,
      height: 1,
      originalPath: `${id}.png`,
      split: null,
      metadata: null,
    }) as PageRow<SampleColumns>;

  it("keeps `limit` samples per key, says whether one lay beyond, and leaves empty pages empty", () => {
    const rows = [row(0, "a"), row(0, "b"), row(0, "c"), row(1, null), row(2, "d")];
    const pages = pagesFromRows(3, 2, rows, (r) => toSample(r, null));
    expect(pages.map((p) => ({ ids: p.samples.map((s) => s.id), next: p.hasNextPage }))).toEqual([
      { ids: ["a", "b"], next: true },
      { ids: [], next: false },
      { ids: ["d"], next: false },
    ]);
  });
});
