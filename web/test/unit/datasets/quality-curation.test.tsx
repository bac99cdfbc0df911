import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import QualityTab from "../../../src/datasets/quality-tab";
import { callsOf, editedVersion, renderVersionTab } from "./curation-fixtures";

afterEach(cleanup);

const suspects = {
  __typename: "QualityFinding",
  kind: "SUSPECTED_LABEL_ERRORS",
  severity: "WARNING",
  recommendation:
    "2 samples look like another class than their labels say: check each and relabel it or remove it",
  explanation: "4 or more of the 5 nearest neighbours (cosine, FEATURE/256) carry one other label",
  sampleIds: ["s0", "s4"],
  details: {
    affectedFraction: 0.33,
    samples: [
      { id: "s0", label: "cat", suggestedLabel: "dog", votes: "5/5" },
      { id: "s4", label: "fox", suggestedLabel: "cat", votes: "4/5" },
    ],
  },
  dismissed: false,
  dismissal: null,
};

const nearDuplicates = (dismissed: boolean) => ({
  __typename: "QualityFinding",
  kind: "NEAR_DUPLICATES",
  severity: "INFO",
  recommendation: "Review 1 group of near-identical images",
  explanation: "Perceptual hashes at most 6 bits apart and embeddings closer than 0.05",
  sampleIds: ["s1", "s3", "s5"],
  details: { affectedFraction: 0.33, groups: [["s1", "s3", "s5"]] },
  dismissed,
  dismissal: dismissed
    ? {
        __typename: "QualityDismissal",
        reason: "Poses of the same cat, on purpose",
        dismissedAt: "2026-03-02T09:00:00.000Z",
        dismissedBy: { __typename: "User", id: "u-ada", handle: "ada" },
      }
    : null,
});

const report = (dismissed: boolean) => ({
  __typename: "QualityReport",
  score: dismissed ? 90.7 : 89.2,
  computedAt: "2026-03-01T10:05:00.000Z",
  embeddingSpace: "FEATURE/256",
  usedEmbeddings: true,
  notes: ["Image sizes were not judged: no base model was chosen"],
  baseModelVersion: null,
  deductions: [
    {
      __typename: "QualityDeduction",
      kind: "SUSPECTED_LABEL_ERRORS",
      points: 9.3,
      reason: "WARNING weighs 8 × (0.5 + 0.5 × min(1, 0.33 / 0.25))",
    },
    ...(dismissed
      ? []
      : [
          {
            __typename: "QualityDeduction",
            kind: "NEAR_DUPLICATES",
            points: 1.5,
            reason: "INFO weighs 2 × 0.75",
          },
        ]),
  ],
  findings: [suspects, nearDuplicates(dismissed)],
});

const answers = {
  VersionQuality: () => ({
    data: { datasetVersion: { __typename: "DatasetVersion", id: "dv-3", quality: report(false) } },
  }),
  TrainingBaseModels: () => ({
    data: {
      featureEmbedder: null,
      models: { __typename: "ModelConnection", totalCount: 0, edges: [] },
    },
  }),
};

const findingCard = (name: string) =>
  screen.getByRole("heading", { level: 3, name: new RegExp(name) }).closest("article") as HTMLElement;

describe("curating from the quality report", () => {
  it("shows why each finding fired and what it took off the score, and relabels all suspects as suggested", async () => {
    const server = renderVersionTab(
      <QualityTab />,
      { ...answers, RelabelSamples: () => ({ data: { relabelSamples: editedVersion("fixed") } }) },
      "/quality",
    );
    await screen.findByRole("meter", { name: "Quality score" });
    const deductions = screen.getByRole("table", { name: /How the score was reached/ });
    expect(
      within(deductions)
        .getAllByRole("row")
        .map((row) => row.textContent),
    ).toEqual([
      "FindingPointsWhy",
      "Suspected label errors−9.3WARNING weighs 8 × (0.5 + 0.5 × min(1, 0.33 / 0.25))",
      "Near duplicates−1.5INFO weighs 2 × 0.75",
    ]);
    const card = findingCard("Suspected label errors");
    expect(card.textContent).toContain(
      "Why it fired: 4 or more of the 5 nearest neighbours (cosine, FEATURE/256) carry one other label",
    );
    expect(screen.getByRole("list", { name: "What the report did not judge" }).textContent).toBe(
      "Image sizes were not judged: no base model was chosen",
    );

    const fixes = within(card).getByRole("group", { name: "Apply to all in this finding" });
    fireEvent.click(within(fixes).getByRole("button", { name: "Relabel all 2 samples as suggested" }));
    const form = await within(card).findByRole("form", {
      name: "Relabel 2 samples, each as its suggested class?",
    });
    fireEvent.click(within(form).getByRole("button", { name: "Create the new version" }));

    await waitFor(() =>
      expect(screen.getByTestId("location").textContent).toBe("/datasets/ds-1/versions/4/quality"),
    );
    expect(callsOf(server, "RelabelSamples")).toEqual([
      {
        datasetVersionId: "dv-3",
        changes: [
          { sampleId: "s0", label: "dog" },
          { sampleId: "s4", label: "cat" },
        ],
        message: "Relabelled 2 samples as suggested",
      },
    ]);
  });

  it("removes the extra copies of duplicates, keeping the first of each group", async () => {
    const server = renderVersionTab(
      <QualityTab />,
      { ...answers, DeleteSamples: () => ({ data: { deleteSamples: editedVersion(null) } }) },
      "/quality",
    );
    await screen.findByRole("meter", { name: "Quality score" });
    const card = findingCard("Near duplicates");
    fireEvent.click(
      within(card).getByRole("button", { name: "Remove 2 extra copies (keep the first of each group)" }),
    );
    fireEvent.click(await within(card).findByRole("button", { name: "Create the new version" }));
    await waitFor(() => expect(callsOf(server, "DeleteSamples")).toHaveLength(1));
    expect(callsOf(server, "DeleteSamples")[0]).toEqual({
      datasetVersionId: "dv-3",
      sampleIds: ["s3", "s5"],
      message: "Deleted 2 samples",
    });
  });

  it("dismisses a finding with a reason, then restores it", async () => {
    const server = renderVersionTab(
      <QualityTab />,
      {
        ...answers,
        DismissQualityFinding: () => ({ data: { dismissQualityFinding: report(true) } }),
        RestoreQualityFinding: () => ({ data: { restoreQualityFinding: report(false) } }),
      },
      "/quality",
    );
    await screen.findByRole("meter", { name: "Quality score" });
    fireEvent.click(within(findingCard("Near duplicates")).getByRole("button", { name: "Dismiss…" }));
    const form = screen.getByRole("form", { name: "Dismiss this finding" });
    fireEvent.change(within(form).getByLabelText("Why it does not apply"), {
      target: { value: "Poses of the same cat, on purpose" },
    });
    fireEvent.click(within(form).getByRole("button", { name: "Dismiss" }));

    const dismissed = await screen.findByRole("list", { name: "Dismissed findings" });
    expect(dismissed.textContent).toMatch(
      /Dismissed by ada on .+: Poses of the same cat, on purpose\. It deducts nothing/,
    );
    expect(screen.getByRole("list", { name: "Findings, most severe first" }).textContent).not.toContain(
      "Near duplicates",
    );
    expect(screen.getByText("91")).toBeTruthy();
    expect(callsOf(server, "DismissQualityFinding")).toEqual([
      {
        versionId: "dv-3",
        kind: "NEAR_DUPLICATES",
        reason: "Poses of the same cat, on purpose",
        baseModelVersionId: null,
      },
    ]);

    fireEvent.click(within(dismissed).getByRole("button", { name: "Restore" }));
    await waitFor(() => expect(screen.queryByRole("list", { name: "Dismissed findings" })).toBeNull());
    expect(callsOf(server, "RestoreQualityFinding")).toEqual([
      { versionId: "dv-3", kind: "NEAR_DUPLICATES", baseModelVersionId: null },
    ]);
  });
});
