import os from "node:os";
import { startTestGateway } from "../gateway/test/support/gateway";
import { deferCleanup } from "./lib/cleanup";
import { defineBenchmark } from "./lib/benchmark";
import { printTable, type Ratio } from "./lib/report";
import {
  embedderVersionIds,
  trainHead,
  uploadLabelledImages,
  type TrainedHead,
} from "./embedder/api-training";
import { DIGITS_PATH, ensureDigits, loadDigits } from "./embedder/digits";
import { generatePatternImages } from "./embedder/patterns";
import type { LabelledImages } from "./training/texture-classes";

const PARTS = ["patterns", "digits"] as const;
type Part = (typeof PARTS)[number];

interface Options {
  parts: Part[];
  patternsPerClass: number;
  digits: number;
  epochs: number;
}

export default defineBenchmark({
  description:
    "built-in embedder v2 vs v1: heads trained through the API on patterns and UCI digits  [patterns] [digits] [--patterns-per-class=N] [--digits=N] [--epochs=N]",
  async run(args) {
    const options = parseOptions(args);
    console.log(
      `node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(2)} ` +
        "(accuracies do not depend on load; times do)",
    );
    const sets: Array<[string, () => Promise<LabelledImages>, string]> = [];
    if (options.parts.includes("patterns")) {
      sets.push([
        "patterns",
        () => generatePatternImages(options.patternsPerClass, 15),
        `checker, dots, stripes × ${options.patternsPerClass}: random colours, periods 6–40 px, angles, sides 64–160 px, JPEG`,
      ]);
    }
    if (options.parts.includes("digits")) {
      ensureDigits();
      sets.push([
        "digits",
        () => loadDigits(options.digits),
        `UCI handwritten digits, first ${options.digits} of ${DIGITS_PATH}, 8×8 grey PNG`,
      ]);
    }

    const gateway = await startTestGateway();
    const stopGateway = deferCleanup(() => gateway.stop());
    const results: Array<{ name: string; v1: TrainedHead; v2: TrainedHead }> = [];
    try {
      const ids = await embedderVersionIds(gateway);
      for (const [name, load, description] of sets) {
        const data = await load();
        console.log(`\n${name}: ${data.images.length} images, ${description}`);
        const versionId = await uploadLabelledImages(gateway, name, data);
        const v1 = await trainHead(gateway, versionId, ids.v1, `${name}-on-v1`, options.epochs);
        const v2 = await trainHead(gateway, versionId, ids.v2, `${name}-on-v2`, options.epochs);
        results.push({ name, v1, v2 });
      }
    } finally {
      await stopGateway();
    }

    const percent = (head: TrainedHead) => `${(head.accuracy * 100).toFixed(1)} %`;
    printTable(
      `validation accuracy of a head trained through startTraining (defaults, ${options.epochs} epochs, seeded stratified split, the same for both versions in a run; it follows the samples' random ids, so it differs between runs)`,
      ["data set", "v1", "v1 correct", "v2", "v2 correct", "v1 job s", "v2 job s"],
      results.map(({ name, v1, v2 }) => [
        name,
        percent(v1),
        `${v1.correct}/${v1.validation}`,
        percent(v2),
        `${v2.correct}/${v2.validation}`,
        v1.seconds.toFixed(1),
        v2.seconds.toFixed(1),
      ]),
    );
    return results.map(({ name, v1, v2 }): Ratio => ({
      name: `embedder.${name}`,
      subject: { label: "v2", value: v2.accuracy * 100, unit: "% correct" },
      baseline: { label: "v1", value: v1.accuracy * 100, unit: "% correct" },
      note: name === "patterns" ? "aim: v2 100 %" : "higher is better",
    }));
  },
});

function parseOptions(args: string[]): Options {
  const options: Options = { parts: [], patternsPerClass: 60, digits: 1797, epochs: 20 };
  const flags = { "patterns-per-class": "patternsPerClass", digits: "digits", epochs: "epochs" } as const;
  for (const arg of args) {
    if ((PARTS as readonly string[]).includes(arg)) {
      options.parts.push(arg as Part);
      continue;
    }
    const match = /^--([a-z-]+)=(\d+)$/.exec(arg);
    const key = match && flags[match[1] as keyof typeof flags];
    if (!key)
      throw new Error(
        `Unknown argument "${arg}"; parts: ${PARTS.join(", ")}; options: --${Object.keys(flags).join("=N, --")}=N`,
      );
    options[key] = Number(match[2]);
  }
  if (options.parts.length === 0) options.parts = [...PARTS];
  return options;
}
