import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { serviceUnavailable } from "../../errors";
import { isNpyType, type NpyTensor } from "./npy";

/**
 * An output ONNX Runtime gave back; `tensor` is null for types a package cannot carry (strings,
 * maps) and for one over the run's `maxValues` (`values` says how many it holds).
 */
export interface RunOutput {
  name: string;
  type: string;
  values: number;
  tensor: NpyTensor | null;
}

export type OnnxRun = { ok: true; outputs: RunOutput[] } | { ok: false; reason: string };

// The gateway reaches ONNX Runtime through @tessera/onnx, the workspace package that declares it.
const onnxPackage = createRequire(import.meta.url).resolve("@tessera/onnx");
const onnxruntimePath = createRequire(onnxPackage).resolve("onnxruntime-node");

/**
 * CommonJS so the child needs no TypeScript loader. Typed arrays (BigInt64Array included) cross the
 * IPC channel intact with `serialization: "advanced"`; an output over `maxValues` does not cross
 * at all, so a model with a huge output cannot fill the gateway's memory.
 */
const childScript = `
const ort = require(process.argv[1]);
process.once("message", async ({ modelPath, feeds, maxValues }) => {
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
      const values = t ? t.dims.reduce((product, d) => product * d, 1) : 0;
      const numeric = t && ArrayBuffer.isView(t.data) && values <= maxValues;
      return { name, type: t ? t.type : "missing", values, data: numeric ? t.data : null, dims: t ? [...t.dims] : [] };
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
  values: number;
  data: NpyTensor["data"] | null;
  dims: number[];
}

type ChildAnswer = { ok: true; outputs: ChildOutput[] } | { ok: false; reason: string };

export interface OnnxRunOptions {
  /** Default 120 s; the child is killed then. */
  timeoutMs?: number;
  /** The request's: aborting it takes the run out of the queue or kills its child. */
  signal?: AbortSignal;
  /** Outputs holding more values come back without their data (`tensor: null`). */
  maxValues?: number;
}

/** Children running at once in this process; later runs wait their turn, in order. */
export const ONNX_RUNS_AT_ONCE = 2;
/** V8 heap of a child (MiB); feeds and outputs are typed arrays outside it, the model's tensors native. */
const CHILD_HEAP_MB = 512;

let active = 0;
const waiting: Array<{ start: () => void; cancel: (reason: unknown) => void }> = [];
const children = new Set<ChildProcess>();
const stoppedChildren = new WeakSet<ChildProcess>();
const stoppingError = () => serviceUnavailable("The gateway is stopping; try again");

/**
 * Runs the model once on `feeds` with ONNX Runtime's CPU provider, in a fresh `node` process: a
 * package comes from anyone, and a child keeps a native crash on a hostile file, the model's memory
 * and a run that never ends (killed at the timeout) out of the gateway, whose event loop
 * `session.run` would otherwise block. At most ONNX_RUNS_AT_ONCE children run at once, each
 * with a bounded heap. Everything about the model resolves (`ok: false` with ONNX Runtime's
 * reason); a cancelled run (the signal's reason), a run cut short by `stopOnnxRuns` and a failure
 * to start the child reject.
 */
export async function runOnnx(
  modelPath: string,
  feeds: Record<string, NpyTensor>,
  options: OnnxRunOptions = {},
): Promise<OnnxRun> {
  const { signal } = options;
  signal?.throwIfAborted();
  await acquire(signal);
  try {
    signal?.throwIfAborted();
    return await runChild(modelPath, feeds, options);
  } finally {
    active -= 1;
    waiting.shift()?.start();
  }
}

/** The gateway is stopping: kills every child and refuses every queued run (later runs start afresh). */
export function stopOnnxRuns(): void {
  const stopping = stoppingError();
  for (const entry of waiting.splice(0)) entry.cancel(stopping);
  for (const child of children) {
    stoppedChildren.add(child);
    child.kill("SIGKILL");
  }
}

/** Children running now (for tests and diagnostics). */
export const onnxRunsActive = (): number => active;

function acquire(signal: AbortSignal | undefined): Promise<void> {
  if (active < ONNX_RUNS_AT_ONCE && waiting.length === 0) {
    active += 1;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const leave = () => signal?.removeEventListener("abort", onAbort);
    const entry = {
      start: () => {
        leave();
        active += 1;
        resolve();
      },
      cancel: (reason: unknown) => {
        leave();
        reject(reason);
      },
    };
    const onAbort = () => {
      waiting.splice(waiting.indexOf(entry), 1);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    waiting.push(entry);
  });
}

function runChild(
  modelPath: string,
  feeds: Record<string, NpyTensor>,
  { timeoutMs = 120_000, signal, maxValues = Number.MAX_SAFE_INTEGER }: OnnxRunOptions,
): Promise<OnnxRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${CHILD_HEAP_MB}`, "-e", childScript, onnxruntimePath],
      { stdio: ["ignore", "ignore", "ignore", "ipc"], serialization: "advanced" },
    );
    children.add(child);
    let answer: ChildAnswer | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    const onAbort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      children.delete(child);
    };
    child.on("message", (message: ChildAnswer) => (answer = message));
    child.on("error", (error) => {
      done();
      reject(error);
    });
    child.on("close", (code, exitSignal) => {
      done();
      if (answer?.ok) return resolve({ ok: true, outputs: answer.outputs.map(toRunOutput) });
      if (answer) return resolve({ ok: false, reason: answer.reason });
      if (signal?.aborted) return reject(signal.reason);
      if (stoppedChildren.has(child)) return reject(stoppingError());
      resolve({
        ok: false,
        reason: timedOut
          ? `ONNX Runtime did not finish within ${timeoutMs} ms`
          : `ONNX Runtime stopped (exit code ${code}, signal ${exitSignal})`,
      });
    });
    child.send({ modelPath, feeds, maxValues });
  });
}

function toRunOutput(output: ChildOutput): RunOutput {
  const tensor =
    output.data && isNpyType(output.type)
      ? { type: output.type, dims: output.dims, data: output.data }
      : null;
  return { name: output.name, type: output.type, values: output.values, tensor };
}
