import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { distDir, sourceHash, STAMP_FILE } from "./source-hash";

/**
 * `npm start` serves web/dist: this builds it first when it is missing or was built from other
 * sources, and otherwise costs one hash of web/src.
 */
export async function isBuildFresh(): Promise<boolean> {
  const [built, current] = await Promise.all([
    readFile(path.join(distDir, STAMP_FILE), "utf8").catch(() => null),
    sourceHash(),
  ]);
  return built === current;
}

/**
 * Builds web/dist unless it matches the sources; returns whether it built. The build is written
 * beside it and swapped in, so a gateway already serving the old build (or a second build running
 * at the same time) never sees a half-emptied folder.
 */
export async function ensureWebBuild(): Promise<boolean> {
  if (await isBuildFresh()) return false;
  const webRoot = path.dirname(distDir);
  // Same filesystem as web/dist (so the swap is a rename) and ignored by git, eslint and prettier.
  const work = path.join(
    webRoot,
    "..",
    "node_modules",
    ".cache",
    "tessera-web",
    randomBytes(6).toString("hex"),
  );
  await mkdir(work, { recursive: true });
  const built = path.join(work, "dist");
  const previous = path.join(work, "previous");
  try {
    console.log("Building the web dashboard (web/dist is missing or was built from other sources)…");
    const viteManifest = createRequire(path.join(webRoot, "package.json")).resolve("vite/package.json");
    const build = spawnSync(
      process.execPath,
      [
        path.join(path.dirname(viteManifest), "bin/vite.js"),
        "build",
        "--logLevel",
        "warn",
        "--outDir",
        built,
      ],
      { cwd: webRoot, stdio: "inherit" },
    );
    if (build.status !== 0)
      throw new Error(`the web dashboard build failed (vite exited with ${build.status})`);
    await rename(distDir, previous).catch(ignore("ENOENT"));
    // Another build may have been swapped in meanwhile: it is as new as this one, so it stays.
    await rename(built, distDir).catch(ignore("ENOTEMPTY", "EEXIST"));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return true;
}

function ignore(...codes: string[]) {
  return (error: NodeJS.ErrnoException) => {
    if (!codes.includes(error.code ?? "")) throw error;
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await ensureWebBuild();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
