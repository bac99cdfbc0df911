import { describe, expect, it } from "vitest";
import { suggestSlug, uploadRequest, type UploadForm } from "../../src/models/upload-request";
import { pickedFromInput, withoutCommonFolder } from "../../src/ui/picked-files";

const blank: UploadForm = {
  slug: "resnet-50",
  name: "",
  version: "",
  modelType: "",
  framework: "",
  tags: "",
  description: "",
  isPublic: false,
  unpackArchive: true,
};
const file = (name: string) => new File(["x"], name);

describe("what an upload sends", () => {
  it("leaves empty fields out so the server's defaults and detection apply", () => {
    const request = uploadRequest({ ...blank, tags: " vision, ,onnx ", version: " v7 " }, [
      { file: file("model.onnx"), path: "model.onnx" },
    ]);
    expect(request).toMatchObject({
      kind: "files",
      input: { slug: "resnet-50", tags: ["vision", "onnx"], version: "v7" },
      paths: ["model.onnx"],
    });
    expect(Object.keys(request.input).sort()).toEqual(["slug", "tags", "version"]);
  });

  it("sends a single ZIP as an archive to unpack, or as a plain file when asked", () => {
    const zip = { file: file("resnet.zip"), path: "resnet.zip" };
    expect(uploadRequest(blank, [zip])).toMatchObject({ kind: "archive", archive: zip.file });
    expect(uploadRequest({ ...blank, unpackArchive: false }, [zip])).toMatchObject({
      kind: "files",
      paths: ["resnet.zip"],
    });
  });

  it("keeps a dropped folder's structure below the folder itself", () => {
    const picked = [
      { file: file("model.onnx"), path: "resnet/onnx/model.onnx" },
      { file: file("labels.txt"), path: "resnet/labels.txt" },
    ];
    expect(uploadRequest(blank, picked)).toMatchObject({
      kind: "files",
      paths: ["onnx/model.onnx", "labels.txt"],
    });
    const mixed = [...picked, { file: file("README.md"), path: "README.md" }];
    expect(withoutCommonFolder(mixed).map((entry) => entry.path)).toEqual([
      "resnet/onnx/model.onnx",
      "resnet/labels.txt",
      "README.md",
    ]);
  });

  it("takes a chosen folder's relative paths from the input", () => {
    const inFolder = file("model.onnx");
    Object.defineProperty(inFolder, "webkitRelativePath", { value: "resnet/model.onnx" });
    const list = { 0: inFolder, 1: file("single.pt"), length: 2, item: () => null } as unknown as FileList;
    expect(pickedFromInput(list).map((entry) => entry.path)).toEqual(["resnet/model.onnx", "single.pt"]);
  });

  it("suggests a slug from a file or folder name", () => {
    expect(suggestSlug("ResNet 50 (v2).onnx")).toBe("resnet-50-v2");
    expect(suggestSlug("my_model.tar")).toBe("my_model");
    expect(suggestSlug("--Weird__Name--")).toBe("weird__name");
  });
});
