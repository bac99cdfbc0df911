import { ApolloProvider } from "@apollo/client/react";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { Link, MemoryRouter } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JobNotices } from "../../../src/jobs/job-notices";
import type { Answer } from "../fake-graphql-server";
import { embeddingJob, fakeJobsServer, job, subjectAnswers, viewer } from "./job-fixtures";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** The pages the tests go to, as links a test clicks: "go /models". */
const pages = ["/models", "/datasets", "/datasets/upload", "/datasets/ds-flowers/versions/3/map"];
function Navigator() {
  return (
    <nav aria-label="Test pages">
      {pages.map((page) => (
        <Link key={page} to={page}>
          go {page}
        </Link>
      ))}
    </nav>
  );
}

function renderNotices(watched: () => unknown[], entry = "/models", answers: Record<string, Answer> = {}) {
  const server = fakeJobsServer({
    ...subjectAnswers,
    Viewer: () => viewer("MEMBER"),
    WatchedJobs: () => ({
      data: {
        jobs: {
          __typename: "JobConnection",
          edges: watched().map((node, index) => ({ __typename: "JobEdge", cursor: `c-${index + 1}`, node })),
        },
      },
    }),
    ...answers,
  });
  render(
    <ApolloProvider client={server.client}>
      <MemoryRouter initialEntries={[entry]}>
        <Navigator />
        <JobNotices />
      </MemoryRouter>
    </ApolloProvider>,
  );
  return server;
}

const looks = (server: ReturnType<typeof fakeJobsServer>) =>
  server.calls.filter((call) => call.operationName === "WatchedJobs");

/** Navigates, which makes the watcher look, and waits for that look's answer. */
async function goAndLook(server: ReturnType<typeof fakeJobsServer>, path: string) {
  const before = looks(server).length;
  fireEvent.click(screen.getByRole("link", { name: `go ${path}` }));
  await waitFor(() => expect(looks(server).length).toBeGreaterThan(before));
  await settle();
}

/** Lets answers on later ticks (looks, subject lookups) arrive. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

/**
 * Waits until a notice for the job could show: its subject was looked up and answered. Quiet
 * until then either way, so "no notice" means something only after this.
 */
async function lookedUp(server: ReturnType<typeof fakeJobsServer>, operationName: string) {
  await waitFor(() => expect(server.calls.map((call) => call.operationName)).toContain(operationName));
  await settle();
}

const notifications = () => screen.getByRole("status", { name: "Job notifications" });
const shown = () => [...notifications().querySelectorAll(".job-notice")].map((notice) => notice.textContent);

const succeeded = (id: string) =>
  job(id, {
    status: "SUCCEEDED",
    finishedAt: "2026-03-01T10:05:00.000Z",
    progress: { __typename: "JobProgress", fraction: 1, phase: null, done: 6, total: 6 },
  });

describe("notices of finished jobs", () => {
  it("tells once that a job the viewer saw running has finished, with a link to its page, until dismissed", async () => {
    const state = { status: "RUNNING" };
    const server = renderNotices(() => [state.status === "RUNNING" ? job("job-1") : succeeded("job-1")]);
    await waitFor(() => expect(looks(server)).toHaveLength(1));
    expect(looks(server)[0]!.variables).toEqual({ owner: "ada", first: 20 });

    state.status = "SUCCEEDED";
    await goAndLook(server, "/datasets");
    await within(notifications()).findByText(/^Training job ada\/colours succeeded/);
    expect(within(notifications()).getByRole("link", { name: "View" }).getAttribute("href")).toBe(
      "/training/jobs/job-1",
    );
    await goAndLook(server, "/models");
    expect(shown()).toEqual(["Training job ada/colours succeeded — View×"]);

    fireEvent.click(
      within(notifications()).getByRole("button", { name: "Dismiss: Training job ada/colours succeeded" }),
    );
    expect(shown()).toEqual([]);
  });

  it("says why embeddings failed, and counts a job queued and finished between two looks as news", async () => {
    const state = { queued: false };
    const server = renderNotices(() =>
      state.queued
        ? [
            embeddingJob("job-2", "dv-3", {
              status: "FAILED",
              createdAt: "2026-03-01T11:00:00.000Z",
              finishedAt: "2026-03-01T11:00:02.000Z",
              error: {
                __typename: "JobError",
                code: "UNAVAILABLE",
                message: "The inference tier is unavailable",
              },
            }),
            succeeded("job-1"),
          ]
        : [succeeded("job-1")],
    );
    await waitFor(() => expect(looks(server)).toHaveLength(1));
    state.queued = true;
    await goAndLook(server, "/datasets/upload");
    await within(notifications()).findByText(
      /^Embeddings of dataset flowers v3 failed: The inference tier is unavailable/,
    );
    expect(within(notifications()).getByRole("link", { name: "View" }).getAttribute("href")).toBe(
      "/datasets/ds-flowers/versions/3",
    );
    // job-1 had finished before the watch began: not news.
    expect(shown()).toHaveLength(1);
  });

  it("stays quiet about a job that finishes while its page is open, also after leaving it", async () => {
    const state = { status: "RUNNING" };
    const server = renderNotices(
      () => [state.status === "RUNNING" ? job("job-1") : succeeded("job-1")],
      "/training/jobs/job-1",
    );
    await waitFor(() => expect(looks(server)).toHaveLength(1));
    state.status = "SUCCEEDED";
    // Back to a tab left in the background: the watcher looks again.
    act(() => void document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(looks(server)).toHaveLength(2));
    await lookedUp(server, "JobTrainingSubject");
    expect(shown()).toEqual([]);
    await goAndLook(server, "/models");
    expect(shown()).toEqual([]);
  });

  it("stays quiet when the job finished on its page (a dataset version's tab) and the viewer left before the next look", async () => {
    const state = { status: "RUNNING" };
    const server = renderNotices(() => [
      embeddingJob("job-2", "dv-3", state.status === "RUNNING" ? {} : { status: "SUCCEEDED" }),
    ]);
    await waitFor(() => expect(looks(server)).toHaveLength(1));
    await goAndLook(server, "/datasets/ds-flowers/versions/3/map");
    state.status = "SUCCEEDED";
    await goAndLook(server, "/models");
    await lookedUp(server, "JobDatasetVersionSubject");
    expect(shown()).toEqual([]);
  });

  it("looks every 2 s while a job runs, so a job finishing on another page is told without a click", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const state = { status: "RUNNING" };
    const server = renderNotices(() => [state.status === "RUNNING" ? job("job-1") : succeeded("job-1")]);
    await waitFor(() => expect(looks(server)).toHaveLength(1));
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await waitFor(() => expect(looks(server)).toHaveLength(2));
    state.status = "SUCCEEDED";
    await act(() => vi.advanceTimersByTimeAsync(2000));
    await within(notifications()).findByText(/^Training job ada\/colours succeeded/);
    // Nothing is running now: no more looks, and still exactly one notice.
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(looks(server)).toHaveLength(3);
    expect(shown()).toHaveLength(1);
  });
});
