import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { UploadModelForm } from "../../../src/models/upload-model-form";
import type { UploadForm } from "../../../src/models/upload-request";

afterEach(cleanup);

function Form() {
  const [form, setForm] = useState<UploadForm>({
    slug: "",
    name: "",
    version: "",
    modelType: "",
    framework: "",
    tags: "",
    description: "",
    isPublic: false,
    unpackArchive: true,
  });
  return (
    <UploadModelForm
      form={form}
      onFormChange={setForm}
      picked={[]}
      onAddFiles={() => undefined}
      onRemoveFile={() => undefined}
      uploading={false}
      progress={null}
      error={null}
      onSubmit={() => undefined}
      onCancel={() => undefined}
    />
  );
}

const hintOf = (field: HTMLElement) =>
  document.getElementById(field.getAttribute("aria-describedby") ?? "")?.textContent;

describe("the model type of an upload", () => {
  it("groups the types by what the dashboard can do with them and says what the chosen one will do", () => {
    render(<Form />);
    const type = screen.getByLabelText("Model type");
    const groups = within(type)
      .getAllByRole("group")
      .map(
        (group) =>
          `${group.getAttribute("label")}: ${within(group)
            .getAllByRole("option")
            .map((option) => option.textContent)
            .join(", ")}`,
      );
    expect(groups).toEqual([
      "Can be tried in the Playground: Classification, Computer vision, Depth estimation, Segmentation",
      "Served to API clients: Embedding",
      "Makes 3D models (Reconstructions): Text to 3D, Image to 3D",
      "Stored only: nothing can be shown yet: Clustering, Detection, NLP, Other, Recommendation, Reconstruction 3D, " +
        "Regression, Reinforcement learning, Time series",
    ]);

    fireEvent.change(type, { target: { value: "DEPTH_ESTIMATION" } });
    expect(hintOf(type)).toBe(
      "Once deployed, it draws a depth map (estimateDepth) and can be tried in the Playground.",
    );
    fireEvent.change(type, { target: { value: "TEXT_TO_3D" } });
    expect(hintOf(type)).toMatch(/^It turns a prompt into a mesh in Reconstructions/);
    fireEvent.change(type, { target: { value: "REGRESSION" } });
    expect(hintOf(type)).toMatch(/^Stored, versioned and downloadable\. .*the Playground cannot run it/);
    fireEvent.change(type, { target: { value: "" } });
    expect(hintOf(type)).toMatch(/^Not set: a new model is stored as Other/);
  });
});
