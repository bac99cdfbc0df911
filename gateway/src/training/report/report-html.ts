import { escapeXml as escape } from "./charts/svg";
import type { ReportChart } from "./report-charts";
import type { EvaluationData, ReportData } from "./report-data";

const style = `
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #1f2933; margin: 0 auto; max-width: 1100px; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #e4e7eb; padding-bottom: 4px; margin-top: 2rem; }
.muted { color: #6b7785; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
dl.facts dt { color: #6b7785; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 8px 0; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 4px 10px; text-align: left; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 12px 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
`;

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
const decimal = (value: number | null | undefined, digits = 4) =>
  value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);

/**
 * The report as one self-contained HTML file: its charts inline as SVG (thumbnails inside them as
 * data: URIs), its tables as HTML, no script, no stylesheet or image from anywhere else. It opens
 * the same from a disk, a mail attachment or the gateway.
 */
export function reportHtml(data: ReportData, charts: ReportChart[]): string {
  const chart = (name: string) => {
    const found = charts.find((c) => c.name === name);
    return found ? `<figure id="chart-${escape(name)}">${found.svg}</figure>` : "";
  };
  const { job } = data;
  const title = `Training report: ${job.targetModelSlug}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${style}</style>
</head>
<body>
<header>
<h1>${escape(title)}</h1>
<p class="muted">Training job ${escape(job.id)} by ${escape(job.owner)} · generated ${escape(data.generatedAt)}</p>
</header>
<section id="summary">
<h2>Summary</h2>
${summary(data)}
</section>
<section id="lineage">
<h2>Lineage</h2>
${chart("lineage")}
</section>
<section id="curves">
<h2>Curves</h2>
<div class="charts">${chart("loss")}${chart("accuracy")}</div>
</section>
<section id="trials">
<h2>Trials</h2>
${chart("trials")}
${trialsTable(data)}
</section>
<section id="evaluation">
<h2>Evaluation</h2>
${evaluationSection("Validation", data.evaluations.validation, job.labels)}
<div class="charts">${chart("confusion-matrix")}${chart("confusion-matrix-test")}</div>
${evaluationSection("Test", data.evaluations.test, job.labels)}
${chart("per-class")}
${perClassTable(data.evaluations.validation ?? data.evaluations.test)}
${chart("reliability")}
</section>
<section id="misclassified">
<h2>Most confident mistakes</h2>
${chart("misclassified")}
</section>
<section id="options">
<h2>Options</h2>
${optionsTable(data)}
</section>
</body>
</html>
`;
}

function facts(entries: Array<[string, string]>): string {
  return `<dl class="facts">${entries.map(([term, value]) => `<dt>${escape(term)}</dt><dd>${escape(value)}</dd>`).join("")}</dl>`;
}

function summary(data: ReportData): string {
  const { job, evaluations } = data;
  const splits = job.splitCounts as { train?: number; validation?: number; test?: number } | null;
  return facts([
    ["Status", job.status],
    ["Final metric", data.finalMetric ? `${data.finalMetric.name} ${decimal(data.finalMetric.value)}` : "—"],
    ["Validation accuracy", evaluations.validation ? percent(evaluations.validation.accuracy) : "—"],
    ["Test accuracy", evaluations.test ? percent(evaluations.test.accuracy) : "—"],
    [
      "Samples (train / validation / test)",
      splits ? `${splits.train ?? 0} / ${splits.validation ?? 0} / ${splits.test ?? 0}` : "—",
    ],
    ["Classes", String(job.labels.length)],
    ["Trials", String(data.trials.length)],
    ["Started", job.startedAt ?? "—"],
    ["Finished", job.finishedAt ?? "—"],
  ]);
}

function trialsTable(data: ReportData): string {
  const names = [...new Set(data.trials.flatMap((trial) => Object.keys(trial.params)))];
  const metrics = ["loss", "accuracy", "val_loss", "val_accuracy"];
  const head = ["Trial", "Status", data.job.options.monitor, "Best epoch", "Epochs", ...names, ...metrics]
    .map((name, index) => `<th${index >= 2 ? ' class="number"' : ""}>${escape(name)}</th>`)
    .join("");
  const rows = data.trials
    .map((trial) => {
      const cells = [
        `<td>${trial.number}${trial.number === data.curves.trial ? " (exported)" : ""}</td>`,
        `<td>${escape(trial.status)}</td>`,
        `<td class="number">${decimal(trial.objective)}</td>`,
        `<td class="number">${trial.bestEpoch ?? "—"}</td>`,
        `<td class="number">${trial.epochsRun}</td>`,
        ...names.map((name) => {
          const value = trial.params[name as keyof typeof trial.params];
          return `<td class="number">${escape(typeof value === "number" ? String(Number(value.toPrecision(4))) : (value ?? "—"))}</td>`;
        }),
        ...metrics.map((name) => `<td class="number">${decimal(trial.metrics[name])}</td>`),
      ];
      return `<tr>${cells.join("")}</tr>`;
    })
    .join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function evaluationSection(name: string, evaluation: EvaluationData | null, labels: string[]): string {
  if (!evaluation) return "";
  const kept =
    evaluation.omittedSamples > 0
      ? `${evaluation.storedSamples} of ${evaluation.storedSamples + evaluation.omittedSamples} kept (every mistake first)`
      : String(evaluation.storedSamples);
  return `<h3>${escape(name)}</h3>${facts([
    ["Samples", String(evaluation.count)],
    ["Accuracy", percent(evaluation.accuracy)],
    ["Loss", decimal(evaluation.loss)],
    ["Expected calibration error", decimal(evaluation.calibrationError)],
    ["Per-sample results stored", kept],
    ["Classes", String(labels.length)],
  ])}`;
}

function perClassTable(evaluation: EvaluationData | null): string {
  if (!evaluation) return "";
  const rows = evaluation.perClass
    .map(
      (c) =>
        `<tr><td>${escape(c.label)}</td><td class="number">${decimal(c.precision, 3)}</td><td class="number">${decimal(c.recall, 3)}</td><td class="number">${decimal(c.f1, 3)}</td><td class="number">${c.support}</td></tr>`,
    )
    .join("");
  return `<table><thead><tr><th>Class</th><th class="number">Precision</th><th class="number">Recall</th><th class="number">F1</th><th class="number">Support</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function optionsTable(data: ReportData): string {
  const entries = Object.entries(data.job.options)
    .filter(([, value]) => value === null || typeof value !== "object")
    .map(([name, value]): [string, string] => [name, String(value)]);
  return facts(entries);
}
