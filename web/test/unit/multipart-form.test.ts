import { describe, expect, it } from "vitest";
import { extractUploads, hasUploads, multipartForm } from "../../src/api/multipart-form";

const weights = new File([new Uint8Array([1, 2, 3])], "model.onnx");
const labels = new File(["cat\ndog\n"], "labels.txt");

describe("GraphQL multipart requests", () => {
  it("finds files anywhere in the variables, and nothing in plain data", () => {
    expect(hasUploads({ input: { slug: "a" }, files: [weights] })).toBe(true);
    expect(hasUploads({ image: { upload: labels } })).toBe(true);
    expect(hasUploads({ input: { slug: "a", tags: ["x"], at: new Date(0) } })).toBe(false);
  });

  it("replaces each file with null and maps every place a file fills, one part per distinct file", () => {
    const { variables, files } = extractUploads({
      input: { slug: "resnet" },
      files: [weights, labels],
      again: weights,
    });
    expect(variables).toEqual({ input: { slug: "resnet" }, files: [null, null], again: null });
    expect([...files.entries()]).toEqual([
      [weights, ["variables.files.0", "variables.again"]],
      [labels, ["variables.files.1"]],
    ]);
  });

  it("builds operations, map, then the files in map order, as the spec lays them out", async () => {
    const { form, fileBytes } = multipartForm({
      operationName: "UploadModel",
      query: "mutation UploadModel($files: [Upload!]!) { uploadModel(files: $files) { id } }",
      variables: { files: [weights, labels] },
    });
    expect([...form.keys()]).toEqual(["operations", "map", "0", "1"]);
    expect(JSON.parse(form.get("operations") as string)).toEqual({
      operationName: "UploadModel",
      query: "mutation UploadModel($files: [Upload!]!) { uploadModel(files: $files) { id } }",
      variables: { files: [null, null] },
    });
    expect(JSON.parse(form.get("map") as string)).toEqual({
      0: ["variables.files.0"],
      1: ["variables.files.1"],
    });
    expect((form.get("1") as File).name).toBe("labels.txt");
    expect(await (form.get("1") as File).text()).toBe("cat\ndog\n");
    expect(fileBytes).toBe(3 + 8);
  });
});
