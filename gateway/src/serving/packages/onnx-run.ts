import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { isNpyType, type NpyTensor } from "./npy";

/** An output ONNX Runtime gave back; `tensor` is null for types a package cannot carry (strings, maps). */
export interface RunOutput {
  name: string;
  type: string;
  tensor: NpyTensor | null;
}

export type OnnxRun = { ok: true; outputs: RunOutput[] } | { ok: false; reason: string };

// The gateway reaches ONNX Runtime through @tessera/onnx, the workspace package that declares it.
const onnxPackage = createRequire(import.meta.url).resolve("@tessera/onnx");
const onnxruntimePath = createRequire(onnxPackage).resolve("onnxruntime-node");

/**
 * CommonJS so the child needs no TypeScript loader. Typed arrays (BigInt64Array included) cross the
 * IPC channel intact with `serialization: "advanced"`.
 */
const childScript = `
const ort = require(process.argv[1]);
process.once("message", async ({ modelPath, feeds }) => {
  let answer;
  try {
    const session = await ort.InferenceSession.create(modelPath, {
      logSeverityLevel: 4, intraOpNumThreads: 1, interOpNumThreads: 1,
    });
    const inputs = {};
    for (const [name, t] of Object.entries(feeds)) inputs[name] = new ort.Tensor(t.type, t.data, t.dims);
    const results = await session.run(inputs);
    const outputs = session.outputNames.map((name) => {
      const t = results[name];
      const numeric = t && ArrayBuffer.isView(t.data);
      return { name, type: t ? t.type : "missing", data: numeric ? t.data : null, dims: t ? [...t.dims] : [] };
    });
    await session.release();
    answer = { ok: true, outputs };
  } catch (error) {
    answer = { ok: false, reason: String((error && error.message) || error) };
  }
  process.send(answer, () => process.exit(0));
});
`;

interface ChildOutput {
  name: string;
  type: string;
  data: NpyTensor["data"] | null;
  dims: number[];
}

type ChildAnswer = { ok: true; outputs: ChildOutput[] } | { ok: false; reason: string };

/**
 * Runs the model once on `feeds` with ONNX Runtime's CPU provider, in a fresh `node` process: a
 * package comes from anyone, and a child keeps a native crash on a hostile file, the model's memory
 * and a run that never ends (killed at the timeout) out of the gateway, whose event loop
 * `session.run` would otherwise block. Everything about the model resolves (`ok: false` with ONNX
 * Runtime's reason); only a failure to start the child rejects.
 */
export function runOnnx(
  modelPath: string,
  feeds: Record<string, NpyTensor>,
  options: { timeoutMs?: number } = {},
): Promise<OnnxRun> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", childScript, onnxruntimePath], {
      stdio: ["ignore", "ignore", "ignore", "ipc"],
      serialization: "advanced",
    });
    let answer: ChildAnswer | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("message", (message: ChildAnswer) => (answer = message));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (answer?.ok) return resolve({ ok: true, outputs: answer.outputs.map(toRunOutput) });
      if (answer) return resolve({ ok: false, reason: answer.reason });
      resolve({
        ok: false,
        reason: timedOut
          ? `ONNX Runtime did not finish within ${timeoutMs} ms`
          : `ONNX Runtime stopped (exit code ${code}, signal ${signal})`,
      });
    });
    child.send({ modelPath, feeds });
  });
}

function toRunOutput(output: ChildOutput): RunOutput {
  const tensor =
    output.data && isNpyType(output.type)
      ? { type: output.type, dims: output.dims, data: output.data }
      : null;
  return { name: output.name, type: output.type, tensor };
}
