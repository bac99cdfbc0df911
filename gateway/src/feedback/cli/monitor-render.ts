/** The policy as the monitor reads it on each poll. */
export interface WatchedPolicy {
  id: string;
  name: string | null;
  enabled: boolean;
  model: { slug: string };
  evaluations: WatchedEvaluation[];
  runs: WatchedRun[];
}

export interface WatchedEvaluation {
  id: string;
  at: string;
  fired: boolean;
  dryRun: boolean;
  reasons: string[];
  run: { id: string } | null;
}

export interface WatchedRun {
  id: string;
  status: string;
  promoted: boolean | null;
  decision: { reason?: string } | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One line of output: what a person reads, and what --json prints. */
export interface MonitorLine {
  text: string;
  json: Record<string, unknown>;
}

/**
 * What is new since the last poll, oldest first: evaluations not printed yet, and runs whose
 * status changed (a finished run with its decision). The first poll prints the last `history`
 * evaluations and the runs that are still going.
 */
export class MonitorTracker {
  readonly #evaluations = new Set<string>();
  readonly #runs = new Map<string, string>();
  #first = true;

  constructor(private readonly history: number) {}

  update(policy: WatchedPolicy): MonitorLine[] {
    const lines: MonitorLine[] = [];
    const evaluations = [...policy.evaluations].reverse().filter((e) => !this.#evaluations.has(e.id));
    const shown = this.#first
      ? evaluations.slice(Math.max(0, evaluations.length - this.history))
      : evaluations;
    for (const evaluation of evaluations) this.#evaluations.add(evaluation.id);
    for (const evaluation of shown) lines.push(evaluationLine(evaluation));
    for (const run of [...policy.runs].reverse()) {
      const state = `${run.status}:${run.promoted}`;
      const before = this.#runs.get(run.id);
      this.#runs.set(run.id, state);
      if (before === state) continue;
      if (this.#first && before === undefined && run.finishedAt) continue;
      lines.push(runLine(run));
    }
    this.#first = false;
    return lines;
  }
}

export function headerLine(policy: WatchedPolicy, intervalMs: number): string {
  const name = policy.name ? `"${policy.name}"` : policy.id;
  const state = policy.enabled ? "" : " (disabled: the scheduler skips it)";
  return `Retraining policy ${name} on model ${policy.model.slug}${state}; reading it every ${intervalMs / 1000} s, Ctrl-C to stop`;
}

function evaluationLine(evaluation: WatchedEvaluation): MonitorLine {
  const [verdict = "", ...details] = evaluation.reasons;
  const kind = evaluation.dryRun ? "dry run" : evaluation.fired ? "fired" : "evaluated";
  const run = evaluation.run ? ` → run ${evaluation.run.id}` : "";
  const text = `${clock(evaluation.at)}  ${kind.padEnd(9)}  ${verdict}${run}${details.length > 1 ? `\n${details.map((d) => `${" ".repeat(21)}· ${d}`).join("\n")}` : ""}`;
  return { text, json: { evaluation } };
}

function runLine(run: WatchedRun): MonitorLine {
  const when = run.finishedAt ?? run.createdAt;
  const outcome = run.decision?.reason ?? (run.error ? `${run.error.code}: ${run.error.message}` : "");
  const text = `${clock(when)}  run        ${run.id} ${run.status}${outcome ? ` — ${outcome}` : ""}`;
  return { text, json: { run } };
}

/** "2026-12-08 03:00:01" in UTC: the time cron schedules are read in. */
function clock(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}
