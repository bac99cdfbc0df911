import { describe, expect, it } from "vitest";
import { ReconstructionMethod } from "../../../src/gql/graphql";
import {
  emptyReconstructForm,
  reconstructionInput,
  reconstructProblems,
} from "../../../src/scenes/reconstruct-request";

describe("the reconstruct form's request", () => {
  it("sends only the settings typed, so the server's defaults apply to the rest", () => {
    const form = emptyReconstructForm(ReconstructionMethod.RadianceField, "#FFFFFF");
    form.settings.gridResolution = "32";
    form.settings.steps = " 40 ";
    form.viewDependent = true;
    expect(reconstructProblems(form, "scene-1")).toEqual({});
    expect(reconstructionInput(form, "scene-1")).toEqual({
      method: "RADIANCE_FIELD",
      sceneId: "scene-1",
      settings: { background: "#ffffff", viewDependent: true, gridResolution: 32, steps: 40 },
    });
  });

  it("names each setting outside the shared bounds before anything is sent", () => {
    const form = emptyReconstructForm(ReconstructionMethod.RadianceField);
    form.settings.gridResolution = "512";
    form.settings.raysPerBatch = "1.5";
    expect(reconstructProblems(form, "scene-1")).toEqual({
      gridResolution: "From 16 to 256",
      raysPerBatch: "A whole number",
    });
    expect(reconstructProblems(emptyReconstructForm(ReconstructionMethod.RadianceField), null)).toEqual({
      scene: "Pick a scene to reconstruct",
    });
  });

  it("asks a prompt method for a prompt of at most 1,000 characters, sends no scene, and a model only if picked", () => {
    const form = emptyReconstructForm(ReconstructionMethod.TextTo_3D);
    expect(reconstructProblems(form, "scene-1")).toEqual({ prompt: "Describe the object to generate" });
    form.prompt = "x".repeat(1_001);
    expect(reconstructProblems(form, null)).toEqual({ prompt: "At most 1,000 characters" });
    form.prompt = "  a red chair ";
    expect(reconstructionInput(form, "scene-1")).toEqual({ method: "TEXT_TO_3D", prompt: "a red chair" });
    form.modelVersionId = "mv-1";
    expect(reconstructionInput(form, "scene-1")).toEqual({
      method: "TEXT_TO_3D",
      modelVersionId: "mv-1",
      prompt: "a red chair",
    });
  });

  it("sends a depth mesh's image as an upload", () => {
    const form = emptyReconstructForm(ReconstructionMethod.DepthMesh);
    expect(reconstructProblems(form, null)).toEqual({
      modelVersionId: "Pick a model version",
      image: "Choose an image",
    });
    form.modelVersionId = "mv-2";
    const image = new File([new Uint8Array([1, 2, 3])], "room.png", { type: "image/png" });
    form.image = image;
    expect(reconstructionInput(form, null)).toEqual({ method: "DEPTH_MESH", modelVersionId: "mv-2", image });
  });
});
