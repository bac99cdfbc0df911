import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCsvMapping } from "../../../src/datasets/csv/csv-mapping";

const read = (csv: string) => readCsvMapping(Readable.from([Buffer.from(csv)]), 100);

describe("readCsvMapping and the unlabeled pool", () => {
  it("reads split `unlabeled` with an empty label (or `_unlabeled`) as a pool row without a split", async () => {
    const rows = await read(
      "path,label,split,notes\na.jpg,cat,train,x\nb.jpg,,unlabeled,y\nc.jpg,_unlabeled,Unlabeled,\n",
    );
    expect(rows.map(({ path, label, split, metadata }) => ({ path, label, split, metadata }))).toEqual([
      { path: "a.jpg", label: "cat", split: "train", metadata: { notes: "x" } },
      { path: "b.jpg", label: "_unlabeled", split: null, metadata: { notes: "y" } },
      { path: "c.jpg", label: "_unlabeled", split: null, metadata: { notes: "" } },
    ]);
  });

  it("refuses a label on an unlabeled row, and says how to mark one when the label is missing", async () => {
    await expect(read("path,label,split\na.jpg,cat,unlabeled\n")).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      message:
        'Line 2 of the CSV has the split "unlabeled" and the label "cat"; an unlabeled image has no label: leave it empty',
    });
    await expect(read("path,label\na.jpg,\n")).rejects.toMatchObject({
      code: "BAD_USER_INPUT",
      message:
        'Line 2 of the CSV has an empty label for "a.jpg" (an unlabeled image has the split "unlabeled")',
    });
  });
});
