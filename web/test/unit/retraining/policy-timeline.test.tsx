import { cleanup, render, screen, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import { JobStatus } from "../../../src/gql/graphql";
import { PolicyTimeline } from "../../../src/retraining/policy-timeline-view";

afterEach(cleanup);

const model = {
  __typename: "Model" as const,
  id: "model-1",
  slug: "colours",
  name: "Colours",
  owner: { __typename: "User" as const, id: "user-1", handle: "ada" },
};

const evaluation = (id: string, at: string, fired: boolean, reasons: string[], dryRun = false) => ({
  __typename: "PolicyEvaluation" as const,
  id,
  at,
  fired,
  dryRun,
  reasons,
  metrics: {
    feedbackCount: { count: 412, threshold: 400 },
    drift: { method: "MMD", statistic: 0.01234, pValue: 0.002 },
  },
});

const version = (id: string, name: string) => ({ __typename: "ModelVersion" as const, id, version: name });

const run = (id: string, createdAt: string, promoted: boolean | null, decision: unknown) => ({
  __typename: "RetrainingRun" as const,
  id,
  status: promoted === null ? JobStatus.Running : JobStatus.Succeeded,
  createdAt,
  finishedAt: promoted === null ? null : createdAt.replace("T10", "T11"),
  promoted,
  decision,
  error: null,
  datasetVersion: {
    __typename: "DatasetVersion" as const,
    id: `dv-${id}`,
    number: 4,
    dataset: { __typename: "Dataset" as const, id: "ds-1", name: "colours" },
  },
  trainingJob: { __typename: "TrainingJob" as const, id: `job-${id}`, status: "SUCCEEDED" as const },
  champion: version("v-2", "v2"),
  challenger: version(`v-${id}`, id === "run-1" ? "v3" : "v4"),
});

// As the gateway writes them: the verdict first, then one sentence per trigger; a dry run never fires.
const evaluations = [
  evaluation(
    "e-3",
    "2026-03-03T10:00:00.000Z",
    false,
    ["would fire, because 407 corrections ≥ 400", "407 corrections ≥ 400"],
    true,
  ),
  evaluation("e-2", "2026-03-02T10:00:00.000Z", true, [
    "fired, because 412 corrections ≥ 400",
    "412 corrections ≥ 400",
    "drift MMD² 0.0002 (p 0.41 ≥ 0.01)",
  ]),
  evaluation("e-1", "2026-03-01T10:00:00.000Z", false, [
    "did not fire: no trigger holds",
    "12 corrections < 400",
  ]),
  evaluation("e-0", "2026-02-28T10:00:00.000Z", true, [
    "fired, because drift MMD² 0.0123 (p 0.002 < 0.01, effect 0.0123 ≥ 0.01)",
    "3 corrections < 400",
  ]),
];
const runs = [
  run("run-1", "2026-02-28T10:00:00.000Z", true, {
    heldOut: { source: "test split", count: 120 },
    champion: { versionId: "v-2", accuracy: 0.8, correct: 96 },
    challenger: { versionId: "v-run-1", accuracy: 0.85, correct: 102 },
    margin: 0.01,
    promoted: true,
    reason: "promoted: challenger accuracy 0.85 ≥ champion 0.8 + margin 0.01",
  }),
  run("run-2", "2026-03-02T10:00:00.000Z", false, {
    heldOut: { source: "test split", count: 120 },
    champion: { versionId: "v-2", accuracy: 0.85, correct: 102 },
    challenger: { versionId: "v-run-2", accuracy: 0.83, correct: 100 },
    margin: 0.01,
    promoted: false,
    reason: "not promoted: challenger accuracy 0.83 < champion 0.85 + margin 0.01",
  }),
];

describe("a policy's timeline", () => {
  it("shows evaluations and runs newest first: fired or not, why, and what each run decided", () => {
    render(
      <MemoryRouter>
        <PolicyTimeline model={model} alias="production" evaluations={evaluations} runs={runs} />
      </MemoryRouter>,
    );
    const timeline = screen.getByRole("list", { name: "Evaluations and runs, newest first" });
    const entries = within(timeline)
      .getAllByRole("listitem")
      .filter((item) => item.parentElement === timeline);
    expect(entries.map((entry) => entry.querySelector(".badge")?.textContent)).toEqual([
      "Dry run: would fire",
      "Refused",
      "Fired",
      "Did not fire",
      "Promoted",
      "Fired",
    ]);
    const [dryRun, refused, fired, quiet, promoted] = entries as [
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
      HTMLElement,
    ];
    const verdict = (entry: HTMLElement) => entry.querySelector(".timeline-verdict")?.textContent;
    const checks = (entry: HTMLElement) =>
      within(within(entry).getByRole("list", { name: "Triggers checked" }))
        .getAllByRole("listitem")
        .map((item) => item.textContent);
    expect(verdict(dryRun)).toBe("Would fire, because 407 corrections ≥ 400");
    expect(verdict(fired)).toBe("Fired, because 412 corrections ≥ 400");
    expect(checks(fired)).toEqual(["412 corrections ≥ 400", "drift MMD² 0.0002 (p 0.41 ≥ 0.01)"]);
    expect(verdict(quiet)).toBe("Did not fire: no trigger holds");
    expect(checks(quiet)).toEqual(["12 corrections < 400"]);
    expect([...fired.querySelectorAll(".fact")].map((fact) => fact.textContent)).toEqual([
      "feedback count count412",
      "feedback count threshold400",
      "drift methodMMD",
      "drift statistic0.01234",
      "drift p value0.002",
    ]);

    expect(refused.querySelector("dl")?.textContent).toContain("Championv2 85.0%Challengerv4 83.0%");
    expect(refused.querySelector("dl + p")?.textContent).toBe("production stays on v2.");
    expect(refused.querySelector("dl + p + p")?.textContent).toBe(
      "Decision: not promoted: challenger accuracy 0.83 < champion 0.85 + margin 0.01",
    );
    expect(within(refused).getByRole("link", { name: "open the training job" }).getAttribute("href")).toBe(
      "/training/jobs/job-run-2",
    );
    expect(promoted.querySelector("dl")?.textContent).toContain("Championv2 80.0%Challengerv3 85.0%");
    expect(promoted.querySelector("dl")?.textContent).toContain(
      "Held-out set120 images (test split), the same for both",
    );
    expect(promoted.querySelector("dl + p")?.textContent).toBe("production now points at v3.");
    expect(within(promoted).getAllByRole("link", { name: "v3" })[0]?.getAttribute("href")).toBe(
      "/models/ada/colours/versions/v3",
    );
  });
});
