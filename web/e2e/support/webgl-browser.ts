import { chromium, type Browser } from "playwright-core";
import { chromiumPath } from "./paths";

/**
 * Chromium with WebGL for the 3D viewer's tests. The shared launch passes --disable-gpu; here
 * WebGL 2 comes from SwiftShader, the CPU Vulkan driver Debian's Chromium ships, through ANGLE:
 * `--use-angle=swiftshader` picks it, `--enable-unsafe-swiftshader` allows it (Chromium refuses
 * the software fallback for WebGL without it since version 137). Checked with Chromium 156:
 * the renderer reports "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))".
 */
export function launchWebGLBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--use-angle=swiftshader",
      "--enable-unsafe-swiftshader",
      "--ignore-gpu-blocklist",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
