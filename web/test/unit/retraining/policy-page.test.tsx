import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import PolicyPage from "../../../src/retraining/policy-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

afterEach(cleanup);

const policy = {
  __typename: "RetrainingPolicy",
  id: "policy-1",
  name: null,
  enabled: true,
  cooldown: 3600,
  createdAt: "2026-03-01T10:00:00.000Z",
  lastFiredAt: null,
  lastEvaluatedAt: null,
  model: {
    __typename: "Model",
    id: "model-1",
    slug: "colours",
    name: "Colours",
    owner: { __typename: "User", id: "user-1", handle: "ada" },
  },
  dataset: { __typename: "Dataset", id: "ds-1", name: "colours" },
  triggers: {
    __typename: "RetrainingTriggers",
    feedbackCount: 400,
    schedule: null,
    meanUncertaintyAbove: null,
    drift: null,
    nextScheduledAt: null,
  },
  promote: { __typename: "Promotion", alias: "production", mustBeatChampionBy: 0.01 },
  evaluations: [],
  runs: [],
};

const dryRun = {
  __typename: "PolicyEvaluation",
  id: "e-1",
  at: "2026-03-02T10:00:00.000Z",
  fired: false,
  dryRun: true,
  reasons: ["would fire, because 412 corrections ≥ 400", "412 corrections ≥ 400"],
  metrics: { feedbackCount: { count: 412 } },
};

const firing = {
  ...dryRun,
  id: "e-2",
  fired: true,
  dryRun: false,
  reasons: ["fired, because 412 corrections ≥ 400", "412 corrections ≥ 400"],
};

function renderPolicy(extra: Record<string, Answer> = {}) {
  const stored: Array<typeof dryRun> = [];
  const server = fakeGraphQLServer({
    RetrainingPolicyDetail: () => ({
      data: { retrainingPolicy: { ...policy, evaluations: [...stored].reverse() } },
    }),
    EvaluateRetrainingPolicy: (variables) => {
      const evaluation = variables.dryRun ? dryRun : firing;
      stored.push(evaluation);
      return { data: { evaluateRetrainingPolicy: evaluation } };
    },
    SetRetrainingPolicyEnabled: (variables) => ({
      data: {
        updateRetrainingPolicy: {
          __typename: "RetrainingPolicy",
          id: "policy-1",
          enabled: variables.enabled,
        },
      },
    }),
    ...extra,
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/retraining/policies/policy-1"]}>
        <Routes>
          <Route path="/retraining/policies/:policyId" element={<PolicyPage />} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

describe("a policy's page", () => {
  it("answers 'would fire, because …' for a dry run, keeps it on the timeline, and disables the policy", async () => {
    const server = renderPolicy();
    expect(await screen.findByRole("heading", { level: 1, name: "Retraining of colours" })).toBeTruthy();
    expect(screen.getByText("Not evaluated yet")).toBeTruthy();

    fireEvent.click(screen.getByRole("button", { name: "Evaluate now (dry run)" }));
    const answer = await screen.findByRole("status", { name: "Dry run result" });
    expect(answer.textContent).toBe("Would fire, because 412 corrections ≥ 400412 corrections ≥ 400");
    expect(await screen.findByText("Dry run: would fire")).toBeTruthy();
    expect(server.calls.find((call) => call.operationName === "EvaluateRetrainingPolicy")?.variables).toEqual(
      { id: "policy-1", dryRun: true },
    );

    fireEvent.click(screen.getByRole("button", { name: "Disable" }));
    expect(await screen.findByRole("button", { name: "Enable" })).toBeTruthy();
    expect(
      server.calls.find((call) => call.operationName === "SetRetrainingPolicyEnabled")?.variables,
    ).toEqual({
      id: "policy-1",
      enabled: false,
    });
  });

  it("evaluates and fires for real once confirmed, and the firing joins the timeline", async () => {
    const server = renderPolicy();
    await screen.findByRole("heading", { level: 1, name: "Retraining of colours" });
    const evaluations = () =>
      server.calls
        .filter((call) => call.operationName === "EvaluateRetrainingPolicy")
        .map((call) => call.variables);

    fireEvent.click(screen.getByRole("button", { name: "Evaluate and fire now" }));
    const dialog = screen.getByRole("alertdialog", { name: "Evaluate and fire now?" });
    expect(dialog.textContent).toContain("may move production to it");
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(evaluations()).toEqual([]);

    fireEvent.click(screen.getByRole("button", { name: "Evaluate and fire now" }));
    fireEvent.click(screen.getByRole("button", { name: "Evaluate and fire" }));
    const answer = await screen.findByRole("status", { name: "Evaluation result" });
    expect(answer.textContent).toBe("Fired, because 412 corrections ≥ 400412 corrections ≥ 400");
    expect(await screen.findByRole("listitem", { name: /^Fired Evaluation · / })).toBeTruthy();
    expect(evaluations()).toEqual([{ id: "policy-1", dryRun: false }]);
  });

  it("looks again every 30 s while the policy is enabled, so the scheduler's firings appear, and stops once disabled", async () => {
    vi.useFakeTimers();
    try {
      const server = renderPolicy();
      const looks = () =>
        server.calls.filter((call) => call.operationName === "RetrainingPolicyDetail").length;
      await vi.advanceTimersByTimeAsync(10);
      expect(screen.getByRole("heading", { level: 1, name: "Retraining of colours" })).toBeTruthy();
      expect(looks()).toBe(1);
      await vi.advanceTimersByTimeAsync(30_000);
      expect(looks()).toBe(2);

      fireEvent.click(screen.getByRole("button", { name: "Disable" }));
      await vi.advanceTimersByTimeAsync(10);
      expect(screen.getByRole("button", { name: "Enable" })).toBeTruthy();
      await vi.advanceTimersByTimeAsync(90_000);
      expect(looks()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("edits the policy's settings from a form filled in from it, and shows the server's refusal at its field", async () => {
    let updates = 0;
    const server = renderPolicy({
      UpdateRetrainingPolicy: (variables) => {
        updates += 1;
        if (updates === 1) {
          return {
            errors: [
              {
                message: 'triggers.schedule: "0 4 * * 9" is not a cron expression the scheduler accepts',
                extensions: { code: "BAD_USER_INPUT", field: "triggers.schedule" },
              },
            ],
          };
        }
        const patch = variables.patch as { name: string; cooldown: number };
        return {
          data: {
            updateRetrainingPolicy: { ...policy, name: patch.name, cooldown: patch.cooldown },
          },
        };
      },
    });
    await screen.findByRole("heading", { level: 1, name: "Retraining of colours" });
    fireEvent.click(screen.getByRole("button", { name: "Edit settings" }));
    const form = screen.getByRole("form", { name: "Edit the retraining policy" });
    const field = (label: string | RegExp) => within(form).getByLabelText(label) as HTMLInputElement;

    expect(field("Name").value).toBe("");
    expect(field("Enough new corrections").checked).toBe(true);
    expect(field("Corrections since the last run").value).toBe("400");
    expect(field("On a schedule").checked).toBe(false);
    expect(field(/^Alias to move/).value).toBe("production");
    expect(field("Must beat the champion by").value).toBe("0.01");
    expect(field("Cooldown (hours)").value).toBe("1");

    fireEvent.change(field("Name"), { target: { value: "nightly" } });
    fireEvent.click(field("On a schedule"));
    fireEvent.change(field("Cron schedule"), { target: { value: "0 4 * * 9" } });
    fireEvent.change(field("Cooldown (hours)"), { target: { value: "6" } });
    fireEvent.click(within(form).getByRole("button", { name: "Save changes" }));

    const schedule = field("Cron schedule");
    await waitFor(() => expect(schedule.getAttribute("aria-invalid")).toBe("true"));
    const problem = (schedule.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id))
      .filter((element) => element?.getAttribute("role") === "alert")
      .map((element) => element?.textContent?.trim())
      .join(" ");
    expect(problem).toBe(
      'BAD_USER_INPUT triggers.schedule: "0 4 * * 9" is not a cron expression the scheduler accepts',
    );
    expect(server.calls.find((call) => call.operationName === "UpdateRetrainingPolicy")?.variables).toEqual({
      id: "policy-1",
      patch: {
        name: "nightly",
        triggers: { feedbackCount: 400, schedule: "0 4 * * 9" },
        cooldown: 21600,
        promote: { alias: "production", mustBeatChampionBy: 0.01 },
      },
    });

    fireEvent.change(schedule, { target: { value: "0 4 * * 1" } });
    expect(schedule.getAttribute("aria-invalid")).toBeNull();
    fireEvent.click(within(form).getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("heading", { level: 1, name: "nightly" })).toBeTruthy();
    // The saved policy reaches the heading through the cache a render before the form closes.
    await waitFor(() =>
      expect(screen.queryByRole("form", { name: "Edit the retraining policy" })).toBeNull(),
    );
  });
});
