import { ApolloProvider } from "@apollo/client/react";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import JobsPage from "../../../src/jobs/jobs-page";
import type { Answer } from "../fake-graphql-server";
import { embeddingJob, fakeJobsServer, job, jobsPage, subjectAnswers, viewer } from "./job-fixtures";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function renderJobs(answers: Record<string, Answer>, entry = "/jobs") {
  const server = fakeJobsServer({ ...subjectAnswers, ...answers });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[entry]}>
        <JobsPage />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const jobsCalls = (server: ReturnType<typeof fakeJobsServer>) =>
  server.calls.filter((call) => call.operationName === "Jobs").map((call) => call.variables);

const finished = (id: string, status = "SUCCEEDED") =>
  job(id, {
    status,
    finishedAt: "2026-03-01T10:05:00.000Z",
    progress: { __typename: "JobProgress", fraction: 1, phase: null, done: 6, total: 6 },
  });

describe("the Jobs page", () => {
  it("lists every kind in one table: what it works on, status, progress, attempts and error; admins see owners", async () => {
    const server = renderJobs({
      Viewer: () => viewer("ADMIN"),
      Jobs: () =>
        jobsPage([
          job("job-1"),
          embeddingJob("job-2", "dv-3", {
            status: "FAILED",
            attempts: 3,
            finishedAt: "2026-03-01T10:02:00.000Z",
            error: {
              __typename: "JobError",
              code: "UNAVAILABLE",
              message: "The inference tier is unavailable",
            },
            owner: { __typename: "User", id: "u-grace", handle: "grace" },
          }),
          embeddingJob("job-3", "dv-3", {
            status: "QUEUED",
            attempts: 1,
            progress: { __typename: "JobProgress", fraction: 0, phase: null, done: null, total: null },
            error: { __typename: "JobError", code: "WORKER_LOST", message: "Its worker stopped answering" },
          }),
          job("job-4", {
            kind: "RECONSTRUCT_SCENE",
            payload: { sceneId: "s-1" },
            status: "CANCELLED",
            progress: { __typename: "JobProgress", fraction: 0, phase: null, done: null, total: null },
          }),
        ]),
    });

    const running = await screen.findByRole("row", { name: /^Training ada\/colours/ });
    const colours = within(running).getByRole("link", { name: "ada/colours" });
    expect(colours.getAttribute("href")).toBe("/training/jobs/job-1");
    expect(
      within(running)
        .getByRole("progressbar", { name: "Progress of Training ada/colours" })
        .getAttribute("value"),
    ).toBe("50");
    expect(running.textContent).toContain("training · 3 of 6");
    expect(running.textContent).toContain("1 of 3");
    expect(within(running).getByText("Running")).toBeTruthy();
    expect(within(running).getByRole("button", { name: "Cancel Training ada/colours" })).toBeTruthy();

    const failed = screen.getAllByRole("row", { name: /^Embeddings flowers v3/ })[0]!;
    expect(within(failed).getByRole("link", { name: "flowers v3" }).getAttribute("href")).toBe(
      "/datasets/ds-flowers/versions/3",
    );
    expect(failed.textContent).toContain("grace");
    expect(failed.textContent).toContain("UNAVAILABLE The inference tier is unavailable");
    expect(failed.textContent).toContain("stopped at embedding · 30 of 120");
    expect(failed.textContent).toContain("3 of 3");
    expect(within(failed).queryByRole("button", { name: /^Cancel/ })).toBeNull();

    const queued = screen.getAllByRole("row", { name: /^Embeddings flowers v3/ })[1]!;
    expect(within(queued).getByText("Queued")).toBeTruthy();
    expect(queued.textContent).toContain("Will retry: WORKER_LOST Its worker stopped answering");
    expect(within(queued).getByRole("button", { name: "Cancel Embeddings flowers v3" })).toBeTruthy();

    // A kind this dashboard does not know yet still shows, by its enum name.
    const unknown = screen.getByRole("row", { name: /^Reconstruct scene/ });
    expect(within(unknown).getByText("Cancelled")).toBeTruthy();

    expect(screen.getByRole("columnheader", { name: "Owner" })).toBeTruthy();
    expect(screen.getByText("4 of 4")).toBeTruthy();
    expect(jobsCalls(server)[0]).toEqual({ filter: {}, first: 20, after: null });
    // Both embedding rows name the same version: it is looked up once.
    expect(server.calls.filter((call) => call.operationName === "JobDatasetVersionSubject")).toHaveLength(1);
  });

  it("shows members no owner column, and filters by kind and status", async () => {
    const server = renderJobs({
      Viewer: () => viewer("MEMBER"),
      Jobs: ({ filter }) =>
        Object.keys(filter as object).length > 0 ? jobsPage([]) : jobsPage([finished("job-1")]),
    });
    await screen.findByRole("row", { name: /^Training ada\/colours/ });
    expect(screen.queryByRole("columnheader", { name: "Owner" })).toBeNull();

    const filters = screen.getByRole("search", { name: "Filter jobs" });
    fireEvent.click(within(filters).getByLabelText("Training"));
    fireEvent.click(within(filters).getByLabelText("Failed"));
    await screen.findByRole("heading", { name: "No job matches these filters" });
    expect(jobsCalls(server).at(-1)).toEqual({
      filter: { kind: ["TRAIN_MODEL"], status: ["FAILED"] },
      first: 20,
      after: null,
    });

    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await screen.findByRole("row", { name: /^Training ada\/colours/ });
    expect((within(filters).getByLabelText("Training") as HTMLInputElement).checked).toBe(false);
  });

  it("loads more after the last cursor and keeps the rows it has", async () => {
    const first = Array.from({ length: 20 }, (_, index) => finished(`job-${index + 1}`));
    const server = renderJobs({
      Viewer: () => viewer("MEMBER"),
      Jobs: ({ after }) =>
        after === "c-20"
          ? jobsPage([embeddingJob("job-21", "dv-3", { status: "SUCCEEDED" })], {
              offset: 20,
              totalCount: 21,
            })
          : jobsPage(first, { hasNextPage: true, totalCount: 21 }),
    });
    await screen.findByText("20 of 21");
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByRole("row", { name: /^Embeddings flowers v3/ });
    expect(screen.getByText("21 of 21")).toBeTruthy();
    expect(screen.getAllByRole("row")).toHaveLength(22);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    expect(jobsCalls(server)).toEqual([
      { filter: {}, first: 20, after: null },
      { filter: {}, first: 20, after: "c-20" },
    ]);
  });

  it("cancels a queued or running job after a second click, and the row shows how it ended", async () => {
    const server = renderJobs({
      Viewer: () => viewer("MEMBER"),
      Jobs: () => jobsPage([job("job-1")]),
      CancelJob: ({ id }) => ({
        data: { cancelJob: finished(id as string, "CANCELLED") },
      }),
    });
    const row = await screen.findByRole("row", { name: /^Training ada\/colours/ });
    fireEvent.click(within(row).getByRole("button", { name: "Cancel Training ada/colours" }));
    const confirm = within(row).getByRole("group", { name: "Confirm cancelling Training ada/colours" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Cancel job" }));
    await waitFor(() => expect(within(row).getByText("Cancelled")).toBeTruthy());
    expect(within(row).queryByRole("button", { name: /^Cancel/ })).toBeNull();
    expect(server.calls.find((call) => call.operationName === "CancelJob")?.variables).toEqual({
      id: "job-1",
    });
  });

  it("says why a cancel was refused, by job: CONFLICT when it finished meanwhile, FORBIDDEN when it is not yours", async () => {
    const state = { job1: "RUNNING" };
    const server = renderJobs({
      Viewer: () => viewer("ADMIN"),
      Jobs: () =>
        jobsPage([
          state.job1 === "RUNNING" ? job("job-1") : finished("job-1"),
          embeddingJob("job-2", "dv-3", { owner: { __typename: "User", id: "u-grace", handle: "grace" } }),
        ]),
      CancelJob: ({ id }) => {
        if (id === "job-1") {
          state.job1 = "SUCCEEDED";
          return {
            errors: [
              {
                message: "Job job-1 already succeeded; only QUEUED or RUNNING jobs can be cancelled",
                extensions: { code: "CONFLICT", field: "id" },
              },
            ],
          };
        }
        return {
          errors: [
            {
              message: "Job job-2 belongs to another user; only its owner or an admin can cancel it",
              extensions: { code: "FORBIDDEN" },
            },
          ],
        };
      },
    });
    const row = await screen.findByRole("row", { name: /^Training ada\/colours/ });
    fireEvent.click(within(row).getByRole("button", { name: "Cancel Training ada/colours" }));
    fireEvent.click(within(row).getByRole("button", { name: "Cancel job" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Could not cancel Training ada/colours.");
    expect(alert.textContent).toContain(
      "CONFLICT Job job-1 already succeeded; only QUEUED or RUNNING jobs can be cancelled",
    );
    // The list is read again, so the row shows that the job finished after all.
    await waitFor(() => expect(within(row).getByText("Succeeded")).toBeTruthy());
    expect(jobsCalls(server).length).toBeGreaterThanOrEqual(2);

    const other = screen.getByRole("row", { name: /^Embeddings flowers v3/ });
    fireEvent.click(within(other).getByRole("button", { name: "Cancel Embeddings flowers v3" }));
    fireEvent.click(within(other).getByRole("button", { name: "Cancel job" }));
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toContain("Could not cancel Embeddings flowers v3."),
    );
    expect(screen.getByRole("alert").textContent).toContain(
      "FORBIDDEN Job job-2 belongs to another user; only its owner or an admin can cancel it",
    );
    fireEvent.click(within(screen.getByRole("alert")).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("reads the list again every 2 s while a job is queued or running, and stops once none is", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const state = { status: "RUNNING" };
    const server = renderJobs({
      Viewer: () => viewer("MEMBER"),
      Jobs: () => jobsPage([state.status === "RUNNING" ? job("job-1") : finished("job-1")]),
    });
    const row = await screen.findByRole("row", { name: /^Training ada\/colours/ });
    expect(jobsCalls(server)).toHaveLength(1);

    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(jobsCalls(server)).toHaveLength(2));
    state.status = "SUCCEEDED";
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(within(row).getByText("Succeeded")).toBeTruthy());
    expect(within(row).queryByRole("progressbar")).toBeNull();

    await act(() => vi.advanceTimersByTimeAsync(6000));
    expect(jobsCalls(server)).toHaveLength(3);
  });
});
