import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { jobKinds } from "../../src/jobs/job-kinds";

describe("the registry of job kinds", () => {
  it("names every kind once, and each kind's GraphQL events are events the kind declares", () => {
    const names = jobKinds.map(({ kind }) => kind.name);
    const graphqlNames = jobKinds.map(({ kind }) => kind.graphqlName);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(graphqlNames).size).toBe(graphqlNames.length);
    expect(graphqlNames.every((name) => /^[A-Z][A-Z0-9_]*$/.test(name))).toBe(true);
    for (const { kind, events } of jobKinds) {
      expect(Object.keys(events).sort(), kind.name).toEqual([...kind.eventTypes].sort());
      // The platform's own event types are not a kind's to declare.
      expect(kind.eventTypes.filter((type) => ["state", "progress", "snapshot"].includes(type))).toEqual([]);
      expect(kind.maxAttempts).toBeGreaterThanOrEqual(1);
      expect(kind.retryDelayMs(1)).toBeGreaterThan(0);
    }
  });

  it("reads every payload version it writes", () => {
    const training = jobKinds.find(({ kind }) => kind.name === "train-model")!.kind;
    expect(training.readPayload({ trainingJobId: "a" }, 1)).toEqual({ trainingJobId: "a" });
    expect(() => training.readPayload({}, 1)).toThrow();
    const embeddings = jobKinds.find(({ kind }) => kind.name === "embed-dataset-version")!.kind;
    expect(embeddings.readPayload({ runId: "r", datasetVersionId: "v" }, 1)).toEqual({
      runId: "r",
      datasetVersionId: "v",
    });
  });
});
