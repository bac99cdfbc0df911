import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TARGET_CACHE_MS } from "../../src/inference/serving-targets";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectError } from "../registry/operations";
import {
  buildColourClassifier,
  CLASSIFY,
  classified,
  deployReady,
  expectedPredictions,
  expectPredictions,
  IMAGENET,
  solidPng,
  UNDEPLOY,
  UNIT_PREPROCESSING,
  uploadOnnx,
  withImage,
} from "./inference-api";

const CONCURRENT = 20;

/** Statements that read a deployment: what looking up a serving target costs. */
const deploymentReads = (gateway: TestGateway) =>
  gateway.sqlStatements.filter((sql) => /^\s*SELECT/i.test(sql) && sql.includes('"Deployment"'));

/** Where classifications find their deployment under load, and how soon they see a change. */
describe("serving targets", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  it("refreshes an expired target with one lookup however many classifications ask at once", async () => {
    const version = await uploadOnnx(gateway, "busy-colours", buildColourClassifier());
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const blue = await solidPng([0, 0, 255]);
    // The gateway runs in this process: its clock for cache ages moves only when the test says,
    // so a slow machine cannot expire the target a second time during the bursts.
    vi.useFakeTimers({ toFake: ["performance", "Date"] });
    try {
      await classified(gateway, version.id, blue);
      vi.advanceTimersByTime(TARGET_CACHE_MS + 1);

      gateway.sqlStatements.length = 0;
      const burst = () =>
        Promise.all(Array.from({ length: CONCURRENT }, () => classified(gateway, version.id, blue)));
      for (const answer of await burst()) {
        expectPredictions(answer.predictions, expectedPredictions([0, 0, 255]));
      }
      await vi.waitFor(() => expect(deploymentReads(gateway).length).toBeGreaterThan(0), {
        timeout: 10_000,
      });
      // The refreshed target answers the next burst from memory.
      await burst();
      expect(deploymentReads(gateway), deploymentReads(gateway).join("\n")).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("never answers from a target older than twice its lifetime: another replica's change is seen", async () => {
    const member = await gateway.createMember("replica-viewer");
    const version = await uploadOnnx(gateway, "elsewhere-colours", buildColourClassifier(), {
      isPublic: true,
    });
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const red = await solidPng([255, 0, 0]);
    const asMember = () => withImage(gateway, CLASSIFY, { id: version.id }, red, "red.png", member);
    vi.useFakeTimers({ toFake: ["performance", "Date"] });
    try {
      expect((await asMember()).errors).toBeUndefined();
      // Written past this gateway, as another replica would: nothing here hears of it.
      await gateway.prisma.model.update({ where: { id: version.model.id }, data: { isPublic: false } });
      vi.advanceTimersByTime(2 * TARGET_CACHE_MS);

      gateway.sqlStatements.length = 0;
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => asMember()));
      for (const answer of answers) expectError(answer, "NOT_FOUND");
      // They all waited for the same single lookup.
      expect(deploymentReads(gateway), deploymentReads(gateway).join("\n")).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("keeps other models' targets when one model is deployed", async () => {
    const kept = await uploadOnnx(gateway, "kept-colours", buildColourClassifier());
    const other = await uploadOnnx(gateway, "other-colours", buildColourClassifier());
    await deployReady(gateway, kept.id, { preprocessing: UNIT_PREPROCESSING });
    const green = await solidPng([0, 255, 0]);
    vi.useFakeTimers({ toFake: ["performance", "Date"] });
    try {
      await classified(gateway, kept.id, green);
      await deployReady(gateway, other.id, { preprocessing: UNIT_PREPROCESSING });
      await classified(gateway, other.id, green);

      gateway.sqlStatements.length = 0;
      expectPredictions(
        (await classified(gateway, kept.id, green)).predictions,
        expectedPredictions([0, 255, 0]),
      );
      expect(deploymentReads(gateway), deploymentReads(gateway).join("\n")).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("serves a redeploy's config and an undeploy to the very next classification", async () => {
    const version = await uploadOnnx(gateway, "changing-colours", buildColourClassifier());
    const colour = [200, 40, 90] as const;
    const image = await solidPng(colour);
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    expectPredictions(
      (await classified(gateway, version.id, image)).predictions,
      expectedPredictions(colour),
    );

    await deployReady(gateway, version.id, { preprocessing: IMAGENET });
    expectPredictions(
      (await classified(gateway, version.id, image)).predictions,
      expectedPredictions(colour, IMAGENET),
    );

    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    expectPredictions(
      (await classified(gateway, version.id, image)).predictions,
      expectedPredictions(colour),
    );
    expect(await gateway.gql(UNDEPLOY, { id: version.id })).toEqual({ data: { undeployModelVersion: true } });
    // Not the old target: the version is deployed anew on first use, with the default (ImageNet) config.
    expectPredictions(
      (await classified(gateway, version.id, image)).predictions,
      expectedPredictions(colour, IMAGENET),
    );
  });

  it("stops serving a member at once when the owner makes the model private", async () => {
    const member = await gateway.createMember("target-viewer");
    const version = await uploadOnnx(gateway, "closing-colours", buildColourClassifier(), { isPublic: true });
    await deployReady(gateway, version.id, { preprocessing: UNIT_PREPROCESSING });
    const red = await solidPng([255, 0, 0]);
    const asMember = () => withImage(gateway, CLASSIFY, { id: version.id }, red, "red.png", member);
    expect((await asMember()).errors).toBeUndefined();

    const hidden = await gateway.gql(
      "mutation ($id: ID!) { updateModel(id: $id, patch: { isPublic: false }) { isPublic } }",
      { id: version.model.id },
    );
    expect(hidden).toEqual({ data: { updateModel: { isPublic: false } } });
    expectError(await asMember(), "NOT_FOUND");
    expect((await classified(gateway, version.id, red)).predictions[0]!.label).toBe("red");
  });
});
