import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { DetectionResult } from "../../../src/playground/detection-result";

afterEach(cleanup);

const answer = {
  modelVersionId: "detector",
  latencyMs: 8,
  width: 200,
  height: 100,
  annotatedImageUrl: "http://gateway.test/files/artifacts/annotated.png?signature=x",
  detections: [
    { label: "dog", score: 0.9, classIndex: 1, box: { x1: 10, y1: 20, x2: 90, y2: 95 } },
    { label: "person", score: 0.625, classIndex: 0, box: { x1: 120.4, y1: 5, x2: 190, y2: 99.6 } },
    { label: "dog", score: 0.3, classIndex: 1, box: { x1: 100, y1: 50, x2: 130, y2: 80 } },
  ],
};

const rectsOf = (box: Element) =>
  [...box.querySelectorAll("rect")].map((rect) =>
    ["x", "y", "width", "height"].map((name) => Number(rect.getAttribute(name))),
  );

describe("the detection result", () => {
  it("draws each box in the image's own pixels over the image, with its label and score", () => {
    render(<DetectionResult detections={answer} imageUrl="blob:picked" />);
    expect(screen.getByText(/3 objects/).textContent).toBe("3 objects: 2 dog, 1 person");
    const figure = screen.getByRole("group", {
      name: "Detections over the image, 200 × 100 pixels: 2 dog, 1 person",
    });
    expect(figure.querySelector("img")?.getAttribute("src")).toBe("blob:picked");
    const svg = figure.querySelector("svg")!;
    // The SVG stretches over the displayed image: a viewBox of source pixels scales the boxes with it.
    expect(svg.getAttribute("viewBox")).toBe("0 0 200 100");
    expect(svg.getAttribute("preserveAspectRatio")).toBe("none");
    const boxes = within(figure).getAllByTestId("detection-box");
    expect(boxes.map((box) => box.querySelector("text")?.textContent)).toEqual([
      "dog 90.0%",
      "person 62.5%",
      "dog 30.0%",
    ]);
    expect(rectsOf(boxes[0]!)[0]).toEqual([10, 20, 80, 75]);
    expect(rectsOf(boxes[1]!)[0]).toEqual([120.4, 5, 69.6, 94.6]);
    // Same class, same colour; another class, another.
    const stroke = (box: Element) => box.querySelector("rect")?.getAttribute("stroke");
    expect(stroke(boxes[0]!)).toBe(stroke(boxes[2]!));
    expect(stroke(boxes[0]!)).not.toBe(stroke(boxes[1]!));
  });

  it("lists the boxes in a table, brings the pointed-at one forward, and links the annotated PNG", () => {
    render(<DetectionResult detections={answer} imageUrl="blob:picked" />);
    const table = screen.getByRole("table", { name: "Detections (3)" });
    const rows = within(table).getAllByRole("row");
    expect(rows.map((row) => row.textContent)).toEqual([
      "RankLabelScoreBox (x1, y1)–(x2, y2)Size",
      "1dog #190.0%(10, 20)–(90, 95)80 × 75",
      "2person #062.5%(120, 5)–(190, 100)70 × 95",
      "3dog #130.0%(100, 50)–(130, 80)30 × 30",
    ]);
    fireEvent.mouseEnter(rows[2]!);
    const boxes = screen.getAllByTestId("detection-box");
    expect(boxes.map((box) => box.getAttribute("class"))).toEqual([
      "detection-box dimmed",
      "detection-box highlighted",
      "detection-box dimmed",
    ]);
    fireEvent.mouseLeave(rows[2]!.parentElement!);
    expect(screen.getAllByTestId("detection-box").map((box) => box.getAttribute("class"))).toEqual([
      "detection-box",
      "detection-box",
      "detection-box",
    ]);
    expect(screen.getByRole("link", { name: "Open the annotated image" }).getAttribute("href")).toBe(
      answer.annotatedImageUrl,
    );
  });

  it("makes the table one tab stop whose arrow keys move between rows, bringing each box forward", () => {
    render(<DetectionResult detections={answer} imageUrl="blob:picked" />);
    const rows = within(screen.getByRole("table", { name: "Detections (3)" }))
      .getAllByRole("row")
      .slice(1);
    const stops = () => rows.map((row) => row.tabIndex);
    expect(stops()).toEqual([0, -1, -1]);
    const classes = () => screen.getAllByTestId("detection-box").map((box) => box.getAttribute("class"));
    rows[0]!.focus();
    fireEvent.keyDown(rows[0]!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows[1]);
    expect(stops()).toEqual([-1, 0, -1]);
    expect(classes()).toEqual(["detection-box dimmed", "detection-box highlighted", "detection-box dimmed"]);
    fireEvent.keyDown(rows[1]!, { key: "End" });
    expect(document.activeElement).toBe(rows[2]);
    fireEvent.keyDown(rows[2]!, { key: "ArrowDown" });
    expect(document.activeElement).toBe(rows[2]);
    fireEvent.keyDown(rows[2]!, { key: "Home" });
    expect(document.activeElement).toBe(rows[0]);
    fireEvent.keyDown(rows[0]!, { key: "ArrowUp" });
    expect(stops()).toEqual([0, -1, -1]);
  });

  it("says so when nothing passed the minimum score, and still shows the image", () => {
    render(<DetectionResult detections={{ ...answer, detections: [] }} imageUrl="blob:picked" />);
    expect(screen.getByText("No objects found")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Nothing above the minimum score" })).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.getByRole("group", { name: /: none$/ }).querySelector("img")).toBeTruthy();
  });
});
