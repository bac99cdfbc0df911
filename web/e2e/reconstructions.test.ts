import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { zipDatasetFiles } from "../../gateway/test/support/texture-dataset";
import { blenderArchiveFiles, renderSyntheticScene } from "../../inference/test/helpers/synthetic-scene";
import { dropFile, openPage, screenshot, signIn, type TestPage } from "./support/browser";
import { launchWebGLBrowser } from "./support/webgl-browser";

const e2e = inject("e2e");
const sceneName = `spheres ${Date.now().toString(36)}`;
const TRAIN_VIEWS = 10;
const HELD_OUT_VIEWS = 2;

/** The synthetic capture as a NeRF-synthetic ZIP, plus one listed frame whose photo is missing. */
async function sceneArchive(): Promise<Buffer> {
  const scene = renderSyntheticScene({
    width: 32,
    height: 32,
    trainViews: TRAIN_VIEWS,
    heldOutViews: HELD_OUT_VIEWS,
    seed: 3,
  });
  const { files, ...transforms } = blenderArchiveFiles(scene);
  const train = transforms["transforms_train.json"] as { frames: Array<{ file_path: string }> };
  train.frames.push({ ...train.frames[0]!, file_path: "./train/r_missing" });
  return zipDatasetFiles([
    ...Object.entries(transforms).map(([path, json]) => ({ path, bytes: Buffer.from(JSON.stringify(json)) })),
    ...[...files].map(([path, bytes]) => ({ path, bytes })),
  ]);
}

/**
 * The share of pixels in the middle ninth of the viewer's canvas that are not the background,
 * read back from the WebGL canvas (its drawing buffer is preserved) through a 2D canvas.
 */
function centreCoverage(
  page: Page,
): Promise<{ width: number; height: number; differing: number; total: number }> {
  return page.evaluate(async () => {
    const canvas = document.querySelector<HTMLCanvasElement>("[data-testid='mesh-viewer'] canvas");
    if (!canvas) throw new Error("no viewer canvas");
    const image = new Image();
    image.src = canvas.toDataURL("image/png");
    await image.decode();
    const copy = document.createElement("canvas");
    copy.width = image.width;
    copy.height = image.height;
    const context = copy.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const x0 = Math.floor(image.width / 3);
    const y0 = Math.floor(image.height / 3);
    const { data } = context.getImageData(x0, y0, Math.floor(image.width / 3), Math.floor(image.height / 3));
    // The stage's background, #eef1f5.
    const background = [0xee, 0xf1, 0xf5];
    let differing = 0;
    for (let at = 0; at < data.length; at += 4) {
      const distance = Math.max(...background.map((value, channel) => Math.abs(data[at + channel]! - value)));
      if (distance > 24) differing += 1;
    }
    return { width: image.width, height: image.height, differing, total: data.length / 4 };
  });
}

describe.skipIf(e2e.skip !== null)(`reconstructions${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;
  let archive: Buffer;

  beforeAll(async () => {
    archive = await sceneArchive();
    browser = await launchWebGLBrowser();
    tab = await openPage(browser, e2e.url);
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("uploads a posed capture, reconstructs it from the scene's page, and the viewer draws the mesh", async () => {
    const { page } = tab;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scenes" }).click();
    await page.getByRole("heading", { level: 1, name: "Scenes" }).waitFor();
    await page.getByRole("link", { name: "Upload a scene" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Upload a scene" }).waitFor();
    await dropFile(page, "spheres.zip", "application/zip", archive);
    await page.getByRole("list", { name: "Files to upload" }).getByText("spheres.zip").waitFor();
    await page.getByLabel("Scene name").fill(sceneName);
    await page.getByRole("button", { name: "Upload", exact: true }).click();

    const result = page.getByRole("region", { name: `Uploaded ${sceneName}` });
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain(
      `${TRAIN_VIEWS + HELD_OUT_VIEWS} frames stored; 1 listed frame skipped`,
    );
    expect(await result.getByRole("row", { name: /train\/r_missing/ }).count()).toBe(1);
    await screenshot(page, "scene-upload-result");

    await result.getByRole("link", { name: `Open ${sceneName}` }).click();
    await page.getByRole("heading", { level: 1, name: sceneName }).waitFor();
    const frames = page.getByRole("list", { name: "Frames" });
    await frames
      .getByRole("listitem")
      .nth(TRAIN_VIEWS + HELD_OUT_VIEWS - 1)
      .waitFor();
    expect(await frames.getByRole("listitem").count()).toBe(TRAIN_VIEWS + HELD_OUT_VIEWS);
    expect(await frames.getByText("Test", { exact: true }).count()).toBe(HELD_OUT_VIEWS);
    await page.getByRole("img", { name: /cameras drawn around the scene's bounds/ }).waitFor();

    const form = page.getByRole("form", { name: "Reconstruct" });
    expect(await form.getByLabel("Grid resolution").getAttribute("placeholder")).toBe("128");
    // About five seconds on one core, and enough for a surface to form (fewer steps leave the
    // density under the meshing threshold everywhere: an empty mesh).
    await form.getByLabel("Grid resolution").fill("24");
    await form.getByLabel("Steps").fill("400");
    await form.getByLabel("Rays per batch").fill("1024");
    await form.getByLabel("Samples per ray").fill("48");
    await screenshot(page, "scene-page");
    await form.getByRole("button", { name: "Start reconstruction" }).click();

    await page.getByRole("heading", { level: 1, name: `${sceneName} · Radiance field` }).waitFor();
    const progress = page.getByRole("region", { name: "Progress" });
    await progress.getByText("Succeeded").waitFor({ timeout: 120_000 });
    const quality = page.getByRole("region", { name: "Quality" });
    await quality.waitFor();
    expect(await quality.getByRole("table").getByRole("row").count()).toBe(1 + HELD_OUT_VIEWS);
    const viewer = page.getByTestId("mesh-viewer");
    await page.locator("[data-testid='mesh-viewer'][data-state='ready']").waitFor({ timeout: 30_000 });
    // The first frame is drawn on the animation frame after the mesh is framed.
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
    await screenshot(page, "reconstruction-page");

    const coverage = await centreCoverage(page);
    expect(coverage.width).toBeGreaterThan(0);
    // The mesh fills much of the middle; a blank or black canvas gives 0 or all.
    expect(coverage.differing / coverage.total).toBeGreaterThan(0.1);
    expect(coverage.differing).toBeLessThan(coverage.total);

    const mesh = page.getByRole("region", { name: "Mesh" });
    // The download is the binary glTF itself (magic "glTF", version 2).
    const glbUrl = await mesh.getByRole("link", { name: "Download GLB" }).getAttribute("href");
    const header = await page.evaluate(async (url) => {
      const bytes = new Uint8Array(await (await fetch(url!)).arrayBuffer());
      return [new TextDecoder().decode(bytes.subarray(0, 4)), new DataView(bytes.buffer).getUint32(4, true)];
    }, glbUrl);
    expect(header).toEqual(["glTF", 2]);
    await mesh.getByLabel("Wireframe").check();
    await mesh.getByLabel("Point cloud").check();
    expect(await viewer.getAttribute("data-state")).toBe("ready");
    expect(tab.pageErrors).toEqual([]);
  }, 300_000);
});
