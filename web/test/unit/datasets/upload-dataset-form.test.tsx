import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DatasetUploadForm } from "../../../src/datasets/dataset-upload-request";
import { UploadDatasetForm, type UploadDatasetFormProps } from "../../../src/datasets/upload-dataset-form";
import { UploadResult } from "../../../src/datasets/upload-result";

afterEach(cleanup);

const form: DatasetUploadForm = {
  name: "flowers",
  description: "",
  tags: "",
  isPublic: false,
  generateEmbeddings: true,
};
const picked = (...names: string[]) => names.map((name) => ({ file: new File(["x"], name), path: name }));

function renderForm(props: Partial<UploadDatasetFormProps>) {
  const onSubmit = vi.fn();
  render(
    <UploadDatasetForm
      form={form}
      onFormChange={() => {}}
      picked={[]}
      onAddFiles={() => {}}
      onRemoveFile={() => {}}
      uploading={false}
      progress={null}
      error={null}
      onSubmit={onSubmit}
      onCancel={() => {}}
      {...props}
    />,
  );
  return { onSubmit, upload: screen.getByRole("button", { name: /^Upload/ }) };
}

describe("the dataset upload form", () => {
  it("refuses files it cannot send, saying why, with the upload button off", () => {
    const { upload } = renderForm({ picked: picked("labels.csv") });
    expect(screen.getByRole("alert").textContent).toBe(
      "labels.csv names files inside a ZIP: add the ZIP its path column refers to",
    );
    expect(upload).toHaveProperty("disabled", true);
  });

  it("puts the server's problem with the name under the name field, tied to it, and the rest under the button", () => {
    const error = new CombinedGraphQLErrors({
      data: null,
      errors: [
        {
          message: "The dataset name must be 1–200 characters, got 0",
          extensions: { code: "BAD_USER_INPUT", field: "input.name" },
        },
        { message: "The archive has no valid image", extensions: { code: "BAD_USER_INPUT" } },
      ],
    });
    const { upload, onSubmit } = renderForm({ picked: picked("flowers.zip"), error });
    const name = screen.getByLabelText(/Dataset name/);
    expect(name.getAttribute("aria-invalid")).toBe("true");
    const nameProblem = document.getElementById(name.getAttribute("aria-describedby")!.split(" ")[1]!);
    expect(nameProblem?.textContent).toBe("BAD_USER_INPUT The dataset name must be 1–200 characters, got 0");
    const alerts = screen.getAllByRole("alert").map((alert) => alert.textContent);
    expect(alerts).toEqual([
      "BAD_USER_INPUT The dataset name must be 1–200 characters, got 0",
      "BAD_USER_INPUT The archive has no valid image",
    ]);
    fireEvent.click(upload);
    expect(onSubmit).toHaveBeenCalledOnce();
  });

  it("shows the bytes sent while uploading, and a way to cancel", () => {
    const onCancel = vi.fn();
    renderForm({
      picked: picked("flowers.zip"),
      uploading: true,
      progress: { loaded: 250_000, total: 1_000_000 },
      onCancel,
    });
    const bar = screen.getByRole("progressbar", { name: "Upload progress" });
    expect([bar.getAttribute("value"), bar.getAttribute("max")]).toEqual(["250000", "1000000"]);
    expect(screen.getByText("25% · 250 kB of 1.0 MB")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Cancel upload" }));
    expect(onCancel).toHaveBeenCalledOnce();
  });
});

describe("the upload result", () => {
  it("shows the gateway's counts and time left once every byte is sent, instead of a fixed line", () => {
    const sent = { loaded: 1_000_000, total: 1_000_000 };
    const status = (serverProgress: UploadDatasetFormProps["serverProgress"]) => {
      cleanup();
      renderForm({ picked: picked("flowers.zip"), uploading: true, progress: sent, serverProgress });
      return screen.getByRole("status").textContent;
    };
    expect(status(null)).toBe("Uploaded; the gateway is checking and storing the images…");
    expect(status({ phase: "CHECKING", processed: 1234, total: 5000, rejected: 3, etaSeconds: 41.6 })).toBe(
      `Checking and storing images: ${(1234).toLocaleString()} of ${(5000).toLocaleString()} (3 skipped), about 40 s left`,
    );
    expect(status({ phase: "CHECKING", processed: 10, total: 60_000, rejected: 0, etaSeconds: 600 })).toBe(
      `Checking and storing images: 10 of ${(60_000).toLocaleString()}, about 10 min left`,
    );
    expect(status({ phase: "SAVING", processed: 5000, total: 5000, rejected: 0, etaSeconds: null })).toBe(
      `Checked all ${(5000).toLocaleString()} files; saving the new version…`,
    );
  });

  it("lists every skipped file with its reason and links to the new version", () => {
    render(
      <MemoryRouter>
        <UploadResult
          result={{
            imageCount: 1200,
            classCount: 4,
            embeddingsQueued: true,
            skipped: [
              { path: "cat/notes.txt", reason: "The file is not a JPEG, PNG, WebP or GIF image" },
              { path: "__MACOSX/._cat.jpg", reason: "macOS metadata, not an image" },
            ],
            dataset: { id: "d1", name: "pets" },
            version: { id: "v3", number: 3 },
          }}
        />
      </MemoryRouter>,
    );
    const result = screen.getByRole("region", { name: "Uploaded pets v3" });
    expect(result.textContent).toContain("1,200 images in 4 classes; 2 files skipped.");
    const rows = within(screen.getByRole("table")).getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "cat/notes.txtThe file is not a JPEG, PNG, WebP or GIF image",
      "__MACOSX/._cat.jpgmacOS metadata, not an image",
    ]);
    expect(screen.getByRole("link", { name: "Explore pets v3" }).getAttribute("href")).toBe(
      "/datasets/d1/versions/3",
    );
  });
});
