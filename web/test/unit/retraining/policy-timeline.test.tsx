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

const run = (
  id: string,
  createdAt: string,
  promoted: boolean | null,
  decision: unknown,
  status: JobStatus = promoted === null ? JobStatus.Running : JobStatus.Succeeded,
  error: { code: string; message: string } | null = null,
) => ({
  __typename: "RetrainingRun" as const,
  id,
  status,
  createdAt,
  finishedAt: status === JobStatus.Running ? null : createdAt.replace("T10", "T11"),
  promoted,
  decision,
  error: error && { __typename: "JobError" as const, ...error },
  datasetVersion: {
    __typename: "DatasetVersion" as const,
    id: `dv-${id}`,
    number: 4,
    dataset: { __typename: "Dataset" as const, id: "ds-1", name: "colours" },
  },
  trainingJob: { __typename: "TrainingJob" as const, id: `job-${id}`, status: "SUCCEEDED" as const },
  champion: version("v-2", "v2"),
  challenger: id === "run-1" || id === "run-2" ? version(`v-${id}`, id === "run-1" ? "v3" : "v4") : null,
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
  // As the gateway settles a run that failed or was cancelled: promoted false, a decision saying why.
  run(
    "run-3",
    "2026-03-04T10:00:00.000Z",
    false,
    { promoted: false, reason: "the run failed: training diverged" },
    JobStatus.Failed,
    { code: "TRAINING_FAILED", message: "training diverged" },
  ),
  run(
    "run-4",
    "2026-03-05T10:00:00.000Z",
    false,
    { promoted: false, reason: "the run was cancelled" },
    JobStatus.Cancelled,
  ),
];

/** The entry whose heading starts with `title` (its badge), e.g. "Refused" for the refused run. */
const entryTitled = (timeline: HTMLElement, title: string) =>
  within(timeline).getByRole("listitem", { name: new RegExp(`^${title} (Run|Evaluation) ·`) });

/** A fact list's terms beside their values. */
const factsOf = (entry: HTMLElement) => {
  const terms = within(entry).getAllByRole("term");
  const values = within(entry).getAllByRole("definition");
  return terms.map((term, index) => `${term.textContent}: ${values[index]?.textContent}`);
};

describe("a policy's timeline", () => {
  it("shows evaluations and runs newest first: fired or not, why, and what each run decided", () => {
    render(
      <MemoryRouter>
        <PolicyTimeline model={model} alias="production" evaluations={evaluations} runs={runs} />
      </MemoryRouter>,
    );
    const timeline = screen.getByRole("list", { name: "Evaluations and runs, newest first" });
    expect(
      within(timeline)
        .getAllByRole("heading", { level: 3 })
        .map((heading) => heading.textContent?.replace(/ ·.*$/, "")),
    ).toEqual([
      "Cancelled Run",
      "Failed Run",
      "Dry run: would fire Evaluation",
      "Refused Run",
      "Fired Evaluation",
      "Did not fire Evaluation",
      "Promoted Run",
      "Fired Evaluation",
    ]);
    const dryRun = entryTitled(timeline, "Dry run: would fire");
    const [fired] = within(timeline).getAllByRole("listitem", { name: /^Fired Evaluation · / });
    const quiet = entryTitled(timeline, "Did not fire");
    const checks = (entry: HTMLElement) =>
      within(within(entry).getByRole("list", { name: "Triggers checked" }))
        .getAllByRole("listitem")
        .map((item) => item.textContent);
    expect(within(dryRun).getByText("Would fire, because 407 corrections ≥ 400")).toBeTruthy();
    expect(within(fired!).getByText("Fired, because 412 corrections ≥ 400")).toBeTruthy();
    expect(checks(fired!)).toEqual(["412 corrections ≥ 400", "drift MMD² 0.0002 (p 0.41 ≥ 0.01)"]);
    expect(within(quiet).getByText("Did not fire: no trigger holds")).toBeTruthy();
    expect(checks(quiet)).toEqual(["12 corrections < 400"]);
    expect(factsOf(fired!)).toEqual([
      "feedback count count: 412",
      "feedback count threshold: 400",
      "drift method: MMD",
      "drift statistic: 0.01234",
      "drift p value: 0.002",
    ]);

    const refused = entryTitled(timeline, "Refused");
    expect(factsOf(refused)).toEqual([
      "Dataset version: colours v4",
      "Training job: open the training job",
      "Champion: v2 85.0%",
      "Challenger: v4 83.0%",
      "Held-out set: 120 images (test split), the same for both",
    ]);
    expect(refused.textContent).toContain(
      "production stays on v2.Decision: not promoted: challenger accuracy 0.83 < champion 0.85 + margin 0.01",
    );
    expect(within(refused).getByRole("link", { name: "open the training job" }).getAttribute("href")).toBe(
      "/training/jobs/job-run-2",
    );
    const promoted = entryTitled(timeline, "Promoted");
    expect(factsOf(promoted)).toContain("Challenger: v3 85.0%");
    expect(promoted.textContent).toContain("production now points at v3.");
    expect(within(promoted).getAllByRole("link", { name: "v3" })[0]?.getAttribute("href")).toBe(
      "/models/ada/colours/versions/v3",
    );
  });

  it("shows a failed or cancelled run as such, with its error, never as refused", () => {
    render(
      <MemoryRouter>
        <PolicyTimeline model={model} alias="production" evaluations={[]} runs={runs} />
      </MemoryRouter>,
    );
    const timeline = screen.getByRole("list", { name: "Evaluations and runs, newest first" });
    const failed = entryTitled(timeline, "Failed");
    expect(within(failed).getByRole("alert").textContent).toBe("TRAINING_FAILED training diverged");
    expect(factsOf(failed)).toContain("Challenger: — —");
    const cancelled = entryTitled(timeline, "Cancelled");
    expect(within(cancelled).getByText("Cancelled before a decision: production did not move.")).toBeTruthy();
    expect(within(cancelled).queryByRole("alert")).toBeNull();
    for (const entry of [failed, cancelled]) {
      expect(entry.textContent).not.toMatch(/Refused|stays|Decision:/);
    }
    expect(within(timeline).getAllByRole("listitem", { name: /^Refused / })).toHaveLength(1);
  });
});
