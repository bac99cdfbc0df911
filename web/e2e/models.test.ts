import { buildTinyCnn } from "@tessera/onnx/fixtures";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dropFile, launchBrowser, openPage, screenshot, signIn, type TestPage } from "./support/browser";

const e2e = inject("e2e");

const labels = ["red", "green", "blue"];
const onnx = Buffer.from(buildTinyCnn().setMetadata("labels", JSON.stringify(labels)).toBytes());
const slug = `tiny-cnn-${Date.now().toString(36)}`;

describe.skipIf(e2e.skip !== null)(`models${e2e.skip ? ` (skipped: ${e2e.skip})` : ""}`, () => {
  let browser: Browser;
  let tab: TestPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    tab = await openPage(browser, e2e.url);
    await signIn(tab.page, e2e.adminToken);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("uploads an ONNX model by drag and drop and shows what the gateway read from it", async () => {
    const { page } = tab;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    await page.getByRole("link", { name: "Upload a model" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Upload a model" }).waitFor();
    await dropFile(page, "model.onnx", "application/octet-stream", onnx);
    await page.getByRole("list", { name: "Files to upload" }).getByText("model.onnx").waitFor();
    expect(await page.getByLabel("Slug").inputValue()).toBe("model");

    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Model type").selectOption("CLASSIFICATION");
    await page.getByLabel("Tags").fill("vision, e2e");
    await screenshot(page, "model-upload-form");
    await page.getByRole("button", { name: "Upload", exact: true }).click();

    await page.waitForURL(`**/models/admin/${slug}/versions/v1`);
    await page.getByRole("heading", { level: 1, name: `${slug} v1` }).waitFor();
    const inputs = page.getByRole("table", { name: "Inputs" });
    expect(await inputs.getByRole("row").nth(1).innerText()).toMatch(/image\s+FLOAT32\s+batch × 3 × 8 × 8/);
    const outputs = page.getByRole("table", { name: "Outputs" });
    expect(await outputs.getByRole("row").nth(1).innerText()).toMatch(/logits\s+FLOAT32/);
    expect(await page.getByRole("heading", { name: "Labels (3)" }).isVisible()).toBe(true);

    // Both download links are signed: they work without the token.
    const fileLink = page.getByRole("link", { name: "Download model.onnx" });
    const file = await fetch(new URL((await fileLink.getAttribute("href"))!, e2e.url));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(onnx)).toBe(true);
    const zip = await fetch(
      new URL((await page.getByRole("link", { name: "Download all as ZIP" }).getAttribute("href"))!, e2e.url),
    );
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toContain("zip");
  });

  it("deploys the version, shows it READY in the registry, and undeploys it", async () => {
    const { page } = tab;
    const panel = page.getByRole("region", { name: "Deployment" });
    expect(await panel.getByText("Not deployed").isVisible()).toBe(true);
    await panel.getByRole("button", { name: "Deploy" }).click();
    await panel.getByText("Ready", { exact: true }).waitFor({ timeout: 60_000 });
    expect(await panel.innerText()).toContain("Classification");
    await screenshot(page, "model-version-deployed");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    await page.getByLabel("Search").fill(slug);
    // The search applies after a pause in typing, and is kept in the URL.
    await page.waitForURL((url) => url.searchParams.get("q") === slug);
    await page.getByText(/^1–1 of 1$/).waitFor();
    const row = page.getByRole("row", { name: new RegExp(slug) });
    expect(await row.innerText()).toMatch(/Classification\s+ONNX\s+vision\s*e2e[\s\S]*v1\s*Ready/);
    await screenshot(page, "models-registry-filtered");

    await row.getByRole("link", { name: "v1" }).click();
    await panel.getByRole("button", { name: "Undeploy" }).click();
    await panel.getByText("Not deployed").waitFor();
    expect(tab.pageErrors).toEqual([]);
  });
});
