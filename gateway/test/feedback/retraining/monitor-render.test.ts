import { describe, expect, it } from "vitest";
import { parseMonitorArguments } from "../../../src/feedback/cli/monitor-arguments";
import {
  MonitorTracker,
  type WatchedEvaluation,
  type WatchedPolicy,
  type WatchedRun,
} from "../../../src/feedback/cli/monitor-render";

const evaluation = (
  id: string,
  at: string,
  reasons: string[],
  extra: Partial<WatchedEvaluation> = {},
): WatchedEvaluation => ({
  id,
  at,
  fired: false,
  dryRun: false,
  reasons,
  run: null,
  ...extra,
});

const policy = (evaluations: WatchedEvaluation[], runs: WatchedRun[] = []): WatchedPolicy => ({
  id: "p",
  name: "nightly",
  enabled: true,
  model: { slug: "textures" },
  evaluations,
  runs,
});

describe("npm run monitor", () => {
  it("prints the recent history once, then only what is new, oldest first", () => {
    const tracker = new MonitorTracker(1);
    const older = evaluation("e1", "2026-12-08T03:00:00.000Z", [
      "did not fire: no trigger holds",
      "3 corrections < 400",
    ]);
    const newer = evaluation(
      "e2",
      "2026-12-08T03:05:00.000Z",
      ["would fire, because 412 corrections ≥ 400", "412 corrections ≥ 400"],
      {
        dryRun: true,
      },
    );
    // Newest first, as the API lists them; a history of 1 shows only the latest.
    expect(tracker.update(policy([newer, older])).map((line) => line.text)).toEqual([
      "2026-12-08 03:05:00  dry run    would fire, because 412 corrections ≥ 400",
    ]);
    expect(tracker.update(policy([newer, older]))).toEqual([]);
    const fired = evaluation(
      "e3",
      "2026-12-08T03:10:00.000Z",
      ["fired, because 412 corrections ≥ 400", "412 corrections ≥ 400"],
      {
        fired: true,
        run: { id: "r1" },
      },
    );
    const running: WatchedRun = {
      id: "r1",
      status: "RUNNING",
      promoted: null,
      decision: null,
      error: null,
      createdAt: "2026-12-08T03:10:00.000Z",
      finishedAt: null,
    };
    expect(tracker.update(policy([fired, newer, older], [running])).map((line) => line.text)).toEqual([
      "2026-12-08 03:10:00  fired      fired, because 412 corrections ≥ 400 → run r1",
      "2026-12-08 03:10:00  run        r1 RUNNING",
    ]);
    const done = {
      ...running,
      status: "SUCCEEDED",
      promoted: true,
      finishedAt: "2026-12-08T03:12:30.000Z",
      decision: { reason: "promoted: challenger accuracy 0.95 > champion 0.9 + margin 0.02" },
    };
    expect(tracker.update(policy([fired, newer, older], [done]))).toEqual([
      {
        text: "2026-12-08 03:12:30  run        r1 SUCCEEDED — promoted: challenger accuracy 0.95 > champion 0.9 + margin 0.02",
        json: { run: done },
      },
    ]);
  });

  it("needs a policy and a token, and bounds its interval", () => {
    const env = { TESSERA_TOKEN: "tsr_x", TESSERA_URL: "http://gateway:4000/graphql" };
    expect(parseMonitorArguments(["--policy", "p1"], env)).toEqual({
      kind: "monitor",
      command: {
        connection: { url: "http://gateway:4000", token: "tsr_x" },
        policyId: "p1",
        intervalMs: 2000,
        history: 5,
        json: false,
      },
    });
    expect(() => parseMonitorArguments([], env)).toThrow("Missing --policy <id>");
    expect(() => parseMonitorArguments(["--policy", "p1", "--interval", "0.1"], env)).toThrow(
      /--interval expects seconds/,
    );
    expect(() => parseMonitorArguments(["--policy", "p1"], {})).toThrow(/TESSERA_TOKEN/);
  });
});
