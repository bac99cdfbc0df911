import { describe, expect, it } from "vitest";
import { cellColour, confusionMatrixChart } from "../../../src/training/report/charts/confusion-matrix-chart";
import { lineChart } from "../../../src/training/report/charts/line-chart";
import { perClassChart } from "../../../src/training/report/charts/per-class-chart";
import { reliabilityChart } from "../../../src/training/report/charts/reliability-chart";
import { niceTicks } from "../../../src/training/report/charts/svg";
import { thumbnailSheet } from "../../../src/training/report/charts/thumbnail-sheet";
import { trialsChart } from "../../../src/training/report/charts/trials-chart";

/** Every `<name …>` element's attributes, in document order. */
function elements(svg: string, name: string): Array<Record<string, string>> {
  return [...svg.matchAll(new RegExp(`<${name}\\b([^>]*?)/?>`, "g"))].map((match) =>
    Object.fromEntries([...match[1]!.matchAll(/([\w:-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("report charts (SVG builders)", () => {
  it("draws a 2×2 confusion matrix: one cell per pair with its count, shaded by its share of the row", () => {
    const svg = confusionMatrixChart({
      title: "Confusion",
      labels: ["cat", "dog"],
      matrix: [
        [3, 1],
        [0, 2],
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="520" height="286"')).toBe(true);
    const cells = elements(svg, "rect").filter((rect) => rect["data-actual"]);
    expect(cells).toEqual([
      {
        x: "120",
        y: "64",
        width: "56",
        height: "56",
        fill: "rgb(64,149,197)",
        stroke: "#ffffff",
        "data-actual": "cat",
        "data-predicted": "cat",
        "data-count": "3",
      },
      {
        x: "176",
        y: "64",
        width: "56",
        height: "56",
        fill: "rgb(245,215,191)",
        stroke: "#ffffff",
        "data-actual": "cat",
        "data-predicted": "dog",
        "data-count": "1",
      },
      {
        x: "120",
        y: "120",
        width: "56",
        height: "56",
        fill: "rgb(255,255,255)",
        stroke: "#ffffff",
        "data-actual": "dog",
        "data-predicted": "cat",
        "data-count": "0",
      },
      {
        x: "176",
        y: "120",
        width: "56",
        height: "56",
        fill: "rgb(0,114,178)",
        stroke: "#ffffff",
        "data-actual": "dog",
        "data-predicted": "dog",
        "data-count": "2",
      },
    ]);
    expect(texts(svg)).toEqual(expect.arrayContaining(["3", "1", "0", "2", "cat", "dog"]));
    expect(cellColour(0.5, false)).toBe("rgb(234,175,128)");
  });

  it("plots curves on shared axes: points map epochs and values onto the plot area", () => {
    const svg = lineChart({
      title: "Loss",
      xLabel: "epoch",
      series: [
        {
          name: "loss",
          points: [
            [1, 1],
            [2, 0.5],
          ],
        },
        {
          name: "val_loss",
          points: [
            [1, 0.8],
            [2, 0.6],
          ],
          dashed: true,
        },
      ],
    });
    const lines = elements(svg, "polyline");
    // x: epochs 1…2 → 56…624; y: ticks 0…1 → 276…48.
    expect(lines.map((line) => [line["data-series"], line.points, line["stroke-dasharray"]])).toEqual([
      ["loss", "56,48 624,162", undefined],
      ["val_loss", "56,93.6 624,139.2", "6 4"],
    ]);
    expect(elements(svg, "circle")).toHaveLength(4);
    expect(lineChart({ title: "Empty", xLabel: "epoch", series: [{ name: "loss", points: [] }] })).toContain(
      "No values recorded",
    );
  });

  it("draws one bar per trial, the exported one highlighted, a trial without a value as a tick", () => {
    const svg = trialsChart({
      monitor: "val_accuracy",
      best: 1,
      trials: [
        { number: 0, status: "SUCCEEDED", objective: 0.5 },
        { number: 1, status: "SUCCEEDED", objective: 1 },
        { number: 2, status: "FAILED", objective: null },
      ],
    });
    const bars = elements(svg, "rect").filter((rect) => rect["data-trial"]);
    expect(bars.map((bar) => [bar["data-trial"], bar["data-value"], bar.fill, bar.height])).toEqual([
      ["0", "0.5", "#0072b2", "104"],
      ["1", "1", "#e69f00", "208"],
    ]);
    expect(elements(svg, "line").filter((line) => line["data-trial"] === "2")).toHaveLength(1);
  });

  it("draws precision, recall and F1 per class on a 0–1 axis", () => {
    const svg = perClassChart({
      title: "Per class",
      classes: [
        { label: "cat", precision: 1, recall: 0.5, f1: 2 / 3, support: 2 },
        { label: "dog", precision: 0.5, recall: 1, f1: 2 / 3, support: 1 },
      ],
    });
    const bars = elements(svg, "rect").filter((rect) => rect["data-metric"]);
    expect(
      bars.map((bar) => `${bar["data-class"]}:${bar["data-metric"]}=${bar["data-value"]}@${bar.height}`),
    ).toEqual([
      "cat:precision=1@168",
      "cat:recall=0.5@84",
      "cat:f1=0.666667@112",
      "dog:precision=0.5@84",
      "dog:recall=1@168",
      "dog:f1=0.666667@112",
    ]);
  });

  it("draws a reliability diagram: accuracy bars for the bins that have samples, and the diagonal", () => {
    const bins = Array.from({ length: 10 }, (_, bin) => ({
      lower: bin / 10,
      upper: (bin + 1) / 10,
      count: bin === 6 ? 2 : bin === 8 ? 1 : 0,
      confidence: bin === 6 ? 0.675 : bin === 8 ? 0.9 : 0,
      accuracy: bin === 6 ? 1 : 0,
    }));
    const svg = reliabilityChart({ title: "Reliability", bins, calibrationError: 0.3 });
    const bars = elements(svg, "rect").filter((rect) => rect["data-bin"]);
    expect(bars.map((bar) => [bar["data-bin"], bar["data-accuracy"], bar["data-count"], bar.height])).toEqual(
      [
        ["0.6-0.7", "1", "2", "280"],
        ["0.8-0.9", "0", "1", "0"],
      ],
    );
    expect(svg).toContain("expected calibration error 0.3");
  });

  it("lays thumbnails out in a grid with escaped captions", () => {
    const svg = thumbnailSheet({
      title: "Mistakes",
      items: [
        { href: "data:image/jpeg;base64,AAAA", caption: "cat → <dog>", detail: "97.0 %" },
        { href: null, caption: "b", detail: "c" },
      ],
    });
    expect(elements(svg, "image")).toEqual([
      {
        x: "16",
        y: "44",
        width: "96",
        height: "96",
        preserveAspectRatio: "xMidYMid meet",
        href: "data:image/jpeg;base64,AAAA",
      },
    ]);
    expect(svg).toContain("cat → &lt;dog&gt;");
    expect(thumbnailSheet({ title: "Mistakes", items: [] })).toContain("No misclassified samples");
  });

  it("picks round tick values", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 2.3)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    expect(niceTicks(-0.3, 0.9)).toEqual([-0.5, 0, 0.5, 1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
