import { describe, expect, it } from "vitest";
import { clickedPointIndex, embeddingMapOption } from "../../../src/datasets/embedding-map-option";

describe("embeddingMapOption", () => {
  it("draws one series per class, by name, each point carrying its index for the click", () => {
    const points = [
      { sampleId: "a", className: "zebra", x: 1, y: 2 },
      { sampleId: "b", className: "ant", x: 3, y: 4 },
      { sampleId: "c", className: "zebra", x: 5, y: 6 },
    ];
    const option = embeddingMapOption(points, [0.61, 0.2]);
    const series = option.series as Array<{ name: string; data: number[][] }>;
    expect(series.map((entry) => [entry.name, entry.data])).toEqual([
      ["ant", [[3, 4, 1]]],
      [
        "zebra",
        [
          [1, 2, 0],
          [5, 6, 2],
        ],
      ],
    ]);
    expect((option.xAxis as { name: string }).name).toBe("PC1 (61 % of variance)");
    expect((option.yAxis as { name: string }).name).toBe("PC2 (20 % of variance)");
    expect(clickedPointIndex(series[1]!.data[1])).toBe(2);
    expect(clickedPointIndex("nonsense")).toBeNull();
  });

  it("gives each of 30 classes a colour of its own", () => {
    const points = Array.from({ length: 30 }, (_, index) => ({
      sampleId: String(index),
      className: `class ${String(index).padStart(2, "0")}`,
      x: index,
      y: index,
    }));
    const series = embeddingMapOption(points, [0.5, 0.3]).series as Array<{ itemStyle: { color: string } }>;
    const colours = series.map((entry) => entry.itemStyle.color);
    expect(colours).toHaveLength(30);
    expect(new Set(colours).size).toBe(30);
  });
});
