import { describe, expect, it } from "vitest";
import {
  filtersFromParams,
  hasAnyFilter,
  paramsFromFilters,
  registryVariables,
} from "../../src/models/registry-filters";

describe("registry filters in the URL", () => {
  it("round-trips through the query string and drops values the API does not know", () => {
    const params = new URLSearchParams(
      "q=resnet&framework=ONNX&type=BOGUS&tag=vision,%20edge&ready=1&order=NAME_ASC",
    );
    const filters = filtersFromParams(params);
    expect(filters).toEqual({
      search: "resnet",
      framework: "ONNX",
      modelType: "",
      tag: "vision, edge",
      owner: "",
      productionReady: true,
      order: "NAME_ASC",
    });
    expect(paramsFromFilters(filters).toString()).toBe(
      "q=resnet&framework=ONNX&tag=vision%2C+edge&ready=1&order=NAME_ASC",
    );
  });

  it("becomes the query's variables, with empty filters left out", () => {
    const filters = filtersFromParams(new URLSearchParams("q=%20%20&tag=vision,edge&owner=ada"));
    expect(registryVariables(filters, 25, "cursor-1")).toEqual({
      search: null,
      filter: { tags: ["vision", "edge"], owner: "ada" },
      first: 25,
      after: "cursor-1",
      orderBy: null,
    });
  });

  it("counts the order as no filter, so the empty state can offer to clear filters only when there are some", () => {
    expect(hasAnyFilter(filtersFromParams(new URLSearchParams("order=NAME_ASC")))).toBe(false);
    expect(hasAnyFilter(filtersFromParams(new URLSearchParams("ready=1")))).toBe(true);
  });
});
