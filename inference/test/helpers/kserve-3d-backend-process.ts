import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("./kserve-3d-backend.ts", import.meta.url));

export interface BackendProcess {
  port: number;
  stop(): Promise<void>;
}

/** Starts kserve-3d-backend.ts as its own process and waits until it serves. */
export async function startGenerativeBackend(): Promise<BackendProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`the backend exited with ${code}: ${output}`)));
  });
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "close");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
