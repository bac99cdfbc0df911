import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../support/gateway";
import { featureEmbedderVersionId, uploadTextures } from "../api/training-api";
import { runTrainCli } from "./cli-process";

/** `npm run train` against a real gateway whose worker trains on the built-in embedder's features. */
describe("npm run train", () => {
  let gateway: TestGateway;
  let dataset: string;
  let embedder: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    ({ versionId: dataset } = await uploadTextures(gateway, "cli-textures", gateway.adminToken, {
      classes: 3,
      imagesPerClass: 6,
    }));
    embedder = await featureEmbedderVersionId(gateway);
  });

  afterAll(() => gateway?.stop());

  it("trains to SUCCEEDED, printing each epoch, the evaluation and the registered version", async () => {
    const cli = runTrainCli(
      ["--dataset", dataset, "--model", embedder, "--target", "cli-classifier", "--epochs", "2"],
      { TESSERA_TOKEN: gateway.adminToken, TESSERA_URL: gateway.url },
    );
    const code = await cli.exited;
    const stdout = cli.stdout();
    expect(code, `${stdout}\n${cli.stderr()}`).toBe(0);

    const [job] = await gateway.prisma.trainingJob.findMany({
      where: { targetModelSlug: "cli-classifier" },
      include: { resultModelVersion: true, job: true },
    });
    expect(job).toMatchObject({ job: { status: "SUCCEEDED" }, totalEpochs: 2 });
    const version = job!.resultModelVersion!;
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(
      `Started training job ${job!.id} on ${gateway.url}: 3 classes, up to 2 epochs, result → cli-classifier`,
    );
    expect(
      lines.filter((line) => /^epoch \d\/2 {2}loss /.test(line)).map((line) => line.slice(0, 9)),
    ).toEqual(["epoch 1/2", "epoch 2/2"]);
    expect(stdout).toMatch(/^Training succeeded after \d+s\.$/m);
    expect(stdout).toMatch(/^Validation \(\d+ samples\): accuracy \d\.\d{4}, loss /m);
    expect(lines.at(-2)).toBe(`Registered model version admin/cli-classifier v1 (id ${version.id})`);
    expect(cli.stderr()).toBe("");
  });

  it("prints the gateway's error code and message and exits with 1 when it refuses the job", async () => {
    const cli = runTrainCli(
      ["--dataset", dataset, "--model", embedder, "--target", "cli-classifier", "--epochs", "100000"],
      { TESSERA_TOKEN: gateway.adminToken, TESSERA_URL: gateway.url },
    );
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toMatch(/^BAD_USER_INPUT: .*epochs/);
    expect(cli.stdout()).toBe("");
  });

  it("refuses bad usage with exit code 2 and sends nothing", async () => {
    const before = await gateway.prisma.trainingJob.count();
    const cli = runTrainCli(
      ["--dataset", dataset, "--model", embedder, "--target", "x", "--batch-size", "0"],
      {
        TESSERA_TOKEN: gateway.adminToken,
        TESSERA_URL: gateway.url,
      },
    );
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/^--batch-size expects 1 or more, got 0\n/);
    expect(await gateway.prisma.trainingJob.count()).toBe(before);
  });
});

/** Without a worker the job stays QUEUED, so Ctrl-C always finds it before it ends. */
describe("npm run train, interrupted", () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { TESSERA_TRAINING_WORKERS: "0" } });
  });

  afterAll(() => gateway?.stop());

  it("cancels the job on Ctrl-C and exits with 130 once the gateway reports it cancelled", async () => {
    const { versionId } = await uploadTextures(gateway, "cli-cancel", gateway.adminToken, { classes: 2 });
    const embedder = await featureEmbedderVersionId(gateway);
    const cli = runTrainCli(["--dataset", versionId, "--model", embedder, "--target", "never-trained"], {
      TESSERA_TOKEN: gateway.adminToken,
      TESSERA_URL: gateway.url,
    });
    await cli.waitForOutput(/^queued, waiting for a worker$/m);
    cli.interrupt();
    expect(await cli.exited, `${cli.stdout()}\n${cli.stderr()}`).toBe(130);
    const [job] = await gateway.prisma.trainingJob.findMany({
      where: { targetModelSlug: "never-trained" },
      include: { job: true },
    });
    expect(job).toMatchObject({ job: { status: "CANCELLED" } });
    expect(cli.stdout()).toContain(`Cancelling job ${job!.id}…`);
    expect(cli.stdout()).toMatch(/^Training cancelled after \d+s: Cancelled by admin before it started$/m);
  });
});
