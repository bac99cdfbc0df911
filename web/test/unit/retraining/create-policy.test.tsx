import { ApolloProvider } from "@apollo/client/react";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, describe, expect, it } from "vitest";
import CreatePolicyPage from "../../../src/retraining/create-policy-page";
import { fakeGraphQLServer, type Answer } from "../fake-graphql-server";

afterEach(cleanup);

const ada = { __typename: "User", id: "user-1", handle: "ada" };

const answers: Record<string, Answer> = {
  Viewer: () => ({ data: { me: { ...ada, displayName: null, email: null, role: "MEMBER" } } }),
  RetrainingModelChoices: () => ({
    data: {
      models: {
        __typename: "ModelConnection",
        totalCount: 1,
        edges: [
          {
            __typename: "ModelEdge",
            node: {
              __typename: "Model",
              id: "model-1",
              slug: "colours",
              name: "Colours",
              owner: ada,
              aliases: [
                {
                  __typename: "ModelAlias",
                  alias: "production",
                  version: { __typename: "ModelVersion", id: "v-2", version: "v2" },
                },
              ],
            },
          },
        ],
      },
    },
  }),
  RetrainingDatasetChoices: () => ({
    data: {
      datasets: {
        __typename: "DatasetConnection",
        totalCount: 1,
        edges: [
          {
            __typename: "DatasetEdge",
            node: {
              __typename: "Dataset",
              id: "ds-1",
              name: "colours",
              owner: ada,
              latestVersion: {
                __typename: "DatasetVersion",
                id: "dv-3",
                number: 3,
                imageCount: 240,
                classCount: 3,
              },
            },
          },
        ],
      },
    },
  }),
  TrainingBaseModels: () => ({
    data: {
      featureEmbedder: {
        __typename: "Model",
        id: "embedder",
        name: "Feature embedder (built-in)",
        versions: [{ __typename: "ModelVersion", id: "embedder-v1", version: "v1", number: 1 }],
      },
      models: { __typename: "ModelConnection", totalCount: 0, edges: [] },
    },
  }),
};

function renderCreatePage(extra: Record<string, Answer> = {}) {
  const server = fakeGraphQLServer({ ...answers, ...extra });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={["/retraining/new?modelId=model-1"]}>
        <Routes>
          <Route path="/retraining/new" element={<CreatePolicyPage />} />
          <Route path="/retraining/policies/:policyId" element={<p>policy page</p>} />
        </Routes>
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const creates = (server: ReturnType<typeof fakeGraphQLServer>) =>
  server.calls.filter((call) => call.operationName === "CreateRetrainingPolicy");

/** The text of the problem an input points at with aria-describedby. */
function problemOf(input: HTMLElement): string {
  const ids = (input.getAttribute("aria-describedby") ?? "").split(" ");
  return ids
    .map((id) => document.getElementById(id))
    .filter((element) => element?.getAttribute("role") === "alert")
    .map((element) => element?.textContent?.trim())
    .join(" ");
}

async function fillForm() {
  await waitFor(() =>
    expect((screen.getByLabelText(/^Base model/) as HTMLSelectElement).value).toBe("embedder-v1"),
  );
  await waitFor(() => expect((screen.getByLabelText(/^Model/) as HTMLSelectElement).value).toBe("model-1"));
  fireEvent.change(
    await screen
      .findByRole("option", { name: /^ada\/colours · version 3/ })
      .then((option) => option.parentElement!),
    {
      target: { value: "ds-1" },
    },
  );
  fireEvent.change(screen.getByLabelText("Name"), { target: { value: "weekly" } });
  fireEvent.change(screen.getByLabelText("Corrections since the last run"), { target: { value: "50" } });
  fireEvent.click(screen.getByLabelText("On a schedule"));
  fireEvent.change(screen.getByLabelText("Cron schedule"), { target: { value: "0 4 * * 0" } });
  fireEvent.click(screen.getByLabelText("The images drift from the training data"));
  fireEvent.change(screen.getByLabelText("Test"), { target: { value: "DOMAIN_CLASSIFIER" } });
  fireEvent.change(screen.getByLabelText("Minimum effect"), { target: { value: "0.1" } });
  fireEvent.change(screen.getByLabelText("Cooldown (hours)"), { target: { value: "12" } });
  fireEvent.change(screen.getByLabelText("Must beat the champion by"), { target: { value: "0.02" } });
  fireEvent.change(screen.getByLabelText("Epochs"), { target: { value: "5" } });
}

const template = {
  baseModelVersionId: "embedder-v1",
  batchSize: 32,
  classWeighting: "NONE",
  dropout: 0.2,
  enableDataAugmentation: false,
  enableEarlyStopping: true,
  enableHyperparameterTuning: false,
  epochs: 5,
  freezeBaseModel: true,
  hiddenUnits: 128,
  learningRate: 0.001,
  lrSchedule: "CONSTANT",
  minDelta: 0,
  monitor: "VAL_LOSS",
  optimizer: "ADAM",
  patience: 5,
  seed: 42,
  trainableLayersCount: 1,
  useTransferLearning: true,
  validationSplit: 0.2,
  weightDecay: 0,
};

describe("creating a retraining policy", () => {
  it("sends the model, the dataset, the template without a dataset version or target, and the ticked triggers", async () => {
    const server = renderCreatePage({
      CreateRetrainingPolicy: () => ({
        data: {
          createRetrainingPolicy: {
            __typename: "RetrainingPolicy",
            id: "policy-1",
            name: "weekly",
            enabled: true,
            cooldown: 43200,
            createdAt: "2026-03-01T10:00:00.000Z",
            lastFiredAt: null,
            lastEvaluatedAt: null,
            model: { __typename: "Model", id: "model-1", slug: "colours", name: "Colours", owner: ada },
            dataset: { __typename: "Dataset", id: "ds-1", name: "colours" },
            triggers: {
              __typename: "RetrainingTriggers",
              feedbackCount: 50,
              schedule: "0 4 * * 0",
              meanUncertaintyAbove: null,
              drift: null,
              nextScheduledAt: "2026-03-08T04:00:00.000Z",
            },
            promote: { __typename: "Promotion", alias: "production", mustBeatChampionBy: 0.02 },
          },
        },
      }),
    });
    await fillForm();
    fireEvent.click(screen.getByRole("button", { name: "Create policy" }));
    expect(await screen.findByText("policy page")).toBeTruthy();
    expect(creates(server).map((call) => call.variables)).toEqual([
      {
        input: {
          modelId: "model-1",
          datasetId: "ds-1",
          name: "weekly",
          trainingTemplate: template,
          triggers: {
            feedbackCount: 50,
            schedule: "0 4 * * 0",
            drift: { method: "DOMAIN_CLASSIFIER", pValue: 0.01, minEffect: 0.1, window: 200 },
          },
          cooldown: 43200,
          promote: { alias: "production", mustBeatChampionBy: 0.02 },
        },
      },
    ]);
  });

  it("puts each of the server's refusals next to the field it names, and clears one when that field changes", async () => {
    renderCreatePage({
      CreateRetrainingPolicy: () => ({
        errors: [
          {
            message: 'triggers.schedule: "0 4 * * 0" is not a cron expression the scheduler accepts',
            extensions: { code: "BAD_USER_INPUT", field: "triggers.schedule" },
          },
          {
            message: "epochs must be from 1 to 3 (the server's limit), got 5",
            extensions: { code: "BAD_USER_INPUT", field: "trainingTemplate.epochs" },
          },
          { message: "You may not change model ada/colours", extensions: { code: "FORBIDDEN" } },
        ],
      }),
    });
    await fillForm();
    fireEvent.click(screen.getByRole("button", { name: "Create policy" }));

    const schedule = screen.getByLabelText("Cron schedule");
    await waitFor(() => expect(schedule.getAttribute("aria-invalid")).toBe("true"));
    expect(problemOf(schedule)).toBe(
      'BAD_USER_INPUT triggers.schedule: "0 4 * * 0" is not a cron expression the scheduler accepts',
    );
    expect(problemOf(screen.getByLabelText("Epochs"))).toBe(
      "BAD_USER_INPUT epochs must be from 1 to 3 (the server's limit), got 5",
    );
    expect(problemOf(screen.getByLabelText(/^Model/))).toBe("FORBIDDEN You may not change model ada/colours");
    expect(
      screen.getByText(/The server refused the policy: its reasons are shown next to the fields/),
    ).toBeTruthy();

    fireEvent.change(schedule, { target: { value: "0 4 * * 1" } });
    expect(schedule.getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByLabelText("Epochs").getAttribute("aria-invalid")).toBe("true");
  });

  it("refuses a policy without any trigger before sending it", async () => {
    const server = renderCreatePage();
    await fillForm();
    fireEvent.click(screen.getByLabelText("Enough new corrections"));
    fireEvent.click(screen.getByLabelText("On a schedule"));
    fireEvent.click(screen.getByLabelText("The images drift from the training data"));
    fireEvent.click(screen.getByRole("button", { name: "Create policy" }));
    expect((await screen.findByText(/Choose at least one trigger/)).textContent).toBe(
      " Choose at least one trigger: a policy without one never fires",
    );
    expect(screen.getByText(/One field needs a change before the policy can be created/)).toBeTruthy();
    expect(creates(server)).toHaveLength(0);
  });
});
