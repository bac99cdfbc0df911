import { describe, expect, it } from "vitest";
import { SampleCatalog, type SamplePage, type SampleTile } from "../../../src/datasets/sample-catalog";

function tile(index: number): SampleTile {
  return {
    sampleId: `s${index}`,
    originalPath: `cat/${index}.png`,
    thumbnailUrl: `/files/t${index}`,
    imageUrl: `/files/i${index}`,
    format: "png",
    width: 10,
    height: 10,
    split: null,
    class: { classId: "c", name: "cat" },
  };
}

/** A version of `total` samples served in pages of `size`; records the cursors asked for. */
function server(total: number, size: number) {
  const asked: Array<string | null> = [];
  let failNext: Error | null = null;
  const fetchPage = async (after: string | null): Promise<SamplePage> => {
    asked.push(after);
    if (failNext) {
      const error = failNext;
      failNext = null;
      throw error;
    }
    const start = after === null ? 0 : Number(after) + 1;
    const samples = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, index) =>
      tile(start + index),
    );
    const end = start + samples.length;
    return { samples, totalCount: total, endCursor: String(end - 1), hasNextPage: end < total };
  };
  return { fetchPage, asked, failOnce: (error: Error) => (failNext = error) };
}

/** Resolves when the load that `ensure` or `retry` just started has stopped. */
function settled(catalog: SampleCatalog) {
  return new Promise<void>((resolve) => {
    const unsubscribe = catalog.subscribe(() => {
      if (catalog.snapshot().loading) return;
      unsubscribe();
      resolve();
    });
  });
}

describe("SampleCatalog", () => {
  it("loads pages in order only as far as asked, then further when asked again", async () => {
    const version = server(250, 100);
    const catalog = new SampleCatalog(version.fetchPage);
    expect(catalog.snapshot()).toMatchObject({ samples: [], totalCount: null, complete: false });

    catalog.ensure(30);
    await settled(catalog);
    expect(
      catalog
        .snapshot()
        .samples.map((sample) => sample.sampleId)
        .slice(0, 3),
    ).toEqual(["s0", "s1", "s2"]);
    expect(catalog.snapshot()).toMatchObject({ totalCount: 250, complete: false });
    expect(version.asked).toEqual([null]);

    catalog.ensure(150);
    await settled(catalog);
    expect(catalog.snapshot().samples).toHaveLength(200);
    expect(version.asked).toEqual([null, "99"]);

    const all = await catalog.all();
    expect(all).toHaveLength(250);
    expect(all.at(-1)?.sampleId).toBe("s249");
    expect(catalog.snapshot().complete).toBe(true);
    expect(version.asked).toEqual([null, "99", "199"]);
  });

  it("stops at a failed page, keeps what it has, and goes on from there on retry", async () => {
    const version = server(150, 100);
    const catalog = new SampleCatalog(version.fetchPage);
    catalog.ensure(10);
    await settled(catalog);
    version.failOnce(new Error("gateway unreachable"));
    const all = catalog.all();
    await expect(all).rejects.toThrow("gateway unreachable");
    expect(catalog.snapshot()).toMatchObject({ loading: false, complete: false });
    expect(catalog.snapshot().samples).toHaveLength(100);

    catalog.retry();
    await settled(catalog);
    expect(catalog.snapshot()).toMatchObject({ error: null, complete: true });
    expect(catalog.snapshot().samples).toHaveLength(150);
    expect(version.asked).toEqual([null, "99", "99"]);
  });

  it("cancels the page on its way when stopped, and resumes when asked again", async () => {
    const version = server(120, 100);
    let cancelled = false;
    const catalog = new SampleCatalog((after, signal) => {
      signal.addEventListener("abort", () => (cancelled = true));
      return version.fetchPage(after);
    });
    catalog.ensure(10);
    catalog.stop();
    expect(cancelled).toBe(true);
    expect(catalog.snapshot().loading).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(catalog.snapshot().samples).toHaveLength(0);

    expect(await catalog.all()).toHaveLength(120);
  });
});
