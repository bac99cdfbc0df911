import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

export type OnnxRuntimeCheck = { loaded: true } | { loaded: false; reason: string };

export interface OnnxRuntimeCheckOptions {
  /** Give up (and kill the check) after this long; default 120 s. */
  timeoutMs?: number;
  /** How the file is named in reasons instead of its path on disk; default its base name. */
  displayName?: string;
}

const onnxruntimePath = createRequire(import.meta.url).resolve("onnxruntime-node");

/**
 * Runs in a fresh `node` process: creates a session from the file and reports through IPC.
 * CommonJS on purpose, so the child needs no TypeScript loader.
 */
const childScript = `
const [onnxruntimePath, modelPath] = process.argv.slice(1);
const { InferenceSession } = require(onnxruntimePath);
InferenceSession.create(modelPath, { logSeverityLevel: 4, intraOpNumThreads: 1, interOpNumThreads: 1 })
  .then(
    (session) => session.release().then(() => ({ loaded: true })),
    (error) => ({ loaded: false, reason: String((error && error.message) || error) }),
  )
  .then((result) => process.send(result, () => process.exit(0)));
`;

const maxStderrBytes = 8 * 1024;

/**
 * Whether ONNX Runtime (CPU provider, default optimisations) can create a session from the file.
 *
 * `InferenceSession.create` is synchronous native work in the Node binding (it only defers the
 * call with setImmediate), so it would stall the caller's event loop for as long as loading takes.
 * A child process rather than a worker thread also keeps a native crash on a hostile file, the
 * model's memory and a load that never ends (killed at the timeout) out of the caller's process.
 * Errors of the check itself (node cannot be spawned) reject; everything about the file resolves.
 */
export function checkLoadsInOnnxRuntime(
  modelPath: string,
  options: OnnxRuntimeCheckOptions = {},
): Promise<OnnxRuntimeCheck> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const displayName = options.displayName ?? path.basename(modelPath);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", childScript, onnxruntimePath, modelPath], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    let result: OnnxRuntimeCheck | undefined;
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-maxStderrBytes);
    });
    child.on("message", (message: OnnxRuntimeCheck) => {
      result = message.loaded
        ? message
        : { loaded: false, reason: readableReason(message.reason, modelPath, displayName) };
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (result) return resolve(result);
      if (timedOut) {
        return resolve({
          loaded: false,
          reason: `ONNX Runtime did not finish loading the model within ${timeoutMs} ms`,
        });
      }
      const detail = stderr.trim().split("\n").slice(-3).join(" ") || `exit code ${code}, signal ${signal}`;
      resolve({ loaded: false, reason: `ONNX Runtime stopped while loading the model (${detail})` });
    });
  });
}

/** ORT's message without the server's path and without its "Load model from <path> failed:" preamble. */
function readableReason(message: string, modelPath: string, displayName: string): string {
  return message
    .replace(`Load model from ${modelPath} failed:`, "")
    .replaceAll(modelPath, displayName)
    .trim();
}
