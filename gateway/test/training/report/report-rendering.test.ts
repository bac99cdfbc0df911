import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { reportCharts } from "../../../src/training/report/report-charts";
import { reportHtml } from "../../../src/training/report/report-html";
import { pngScale, renderPngs } from "../../../src/training/report/report-images";
import { tinyReportData } from "./fixtures";

const pixel = sharp({ create: { width: 4, height: 4, channels: 3, background: "#ff0000" } }).jpeg();

describe("rendering a report", () => {
  it("makes every chart, in the documented order", async () => {
    const data = tinyReportData();
    const thumbnail = `data:image/jpeg;base64,${(await pixel.toBuffer()).toString("base64")}`;
    const charts = reportCharts(data, new Map([["s1", thumbnail]]));
    expect(charts.map((chart) => chart.name)).toEqual([
      "loss",
      "accuracy",
      "trials",
      "confusion-matrix",
      "confusion-matrix-test",
      "per-class",
      "reliability",
      "misclassified",
      "lineage",
    ]);
    expect(charts.find((chart) => chart.name === "misclassified")!.svg).toContain(`href="${thumbnail}"`);
  });

  it("renders each chart to a PNG at twice its SVG size, without a browser", async () => {
    const charts = reportCharts(tinyReportData(), new Map());
    const pngs = await renderPngs(charts);
    for (const [index, { name, png }] of pngs.entries()) {
      const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(charts[index]!.svg)!;
      const metadata = await sharp(png).metadata();
      expect([name, metadata.format, metadata.width, metadata.height]).toEqual([
        charts[index]!.name,
        "png",
        Number(width) * pngScale,
        Number(height) * pngScale,
      ]);
    }
    // The (cat, cat) cell holds 2 of the 3 cats: two thirds of the way from white to the diagonal's blue.
    const matrix = pngs.find((entry) => entry.name === "confusion-matrix")!.png;
    const { data, info } = await sharp(matrix).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
    ];
    expect(at((120 + 4) * pngScale, (64 + 4) * pngScale)).toEqual([85, 161, 204]);
  });

  it("writes one self-contained HTML page: inline SVG, escaped text, nothing fetched from elsewhere", () => {
    const data = tinyReportData();
    const html = reportHtml(data, reportCharts(data, new Map()));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<script|<link\b|@import|url\(/i);
    expect(html).not.toContain("dog <b>");
    expect(html).toContain("dog &lt;b&gt;");
    expect(html.match(/<svg /g)).toHaveLength(9);
    expect(html).toContain("1 (exported)");
  });
});
