import { describe, expect, it } from "vitest";
import {
  classificationChartDescription,
  classificationChartHeight,
  classificationChartOption,
  formatProbability,
} from "../../../src/playground/classification-chart";

describe("classification bars", () => {
  const predictions = [
    { label: "red", score: 0.8125 },
    { label: "blue", score: 0.15 },
    { label: "green", score: 0.0375 },
  ];

  it("puts the labels on the category axis, best on top, on a fixed 0–100% scale", () => {
    const option = classificationChartOption(predictions) as {
      yAxis: { data: string[]; inverse: boolean };
      xAxis: { min: number; max: number };
      series: Array<{ type: string; data: number[] }>;
    };
    expect(option.yAxis.data).toEqual(["red", "blue", "green"]);
    expect(option.yAxis.inverse).toBe(true);
    expect(option.xAxis).toMatchObject({ min: 0, max: 1 });
    expect(option.series[0]).toMatchObject({ type: "bar", data: [0.8125, 0.15, 0.0375] });
  });

  it("tells screen readers the figures, not just that there is a chart", () => {
    expect(classificationChartDescription(predictions)).toBe(
      "Probability of the top 3 labels: red 81.3%, blue 15.0%, green 3.8%",
    );
    expect(classificationChartOption(predictions).aria).toEqual({
      enabled: true,
      label: { description: "Probability of the top 3 labels: red 81.3%, blue 15.0%, green 3.8%" },
    });
  });

  it("writes probabilities as percentages, tiny ones as <0.1%", () => {
    expect(formatProbability(0.8125)).toBe("81.3%");
    expect(formatProbability(1)).toBe("100.0%");
    expect(formatProbability(0.0004)).toBe("<0.1%");
    expect(formatProbability(0)).toBe("0.0%");
    expect(formatProbability(Number.NaN)).toBe("—");
  });

  it("grows with the number of bars so each keeps its thickness", () => {
    expect(classificationChartHeight(10) - classificationChartHeight(5)).toBe(5 * 36);
  });
});
