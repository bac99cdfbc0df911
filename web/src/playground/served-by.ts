/**
 * Where an answer came from, in the gateway's words (`tier:<address>`, `remote:<host>`, `ensemble`,
 * `cache`, or `none` for a member that failed), split so the page can say it in a person's words.
 */
export type ServedBy =
  | { kind: "tier"; address: string }
  | { kind: "remote"; host: string }
  | { kind: "ensemble" }
  | { kind: "cache" }
  | { kind: "none" }
  | { kind: "other"; text: string };

export function parseServedBy(servedBy: string): ServedBy {
  if (servedBy.startsWith("tier:")) return { kind: "tier", address: servedBy.slice("tier:".length) };
  if (servedBy.startsWith("remote:")) return { kind: "remote", host: servedBy.slice("remote:".length) };
  if (servedBy === "ensemble" || servedBy === "cache" || servedBy === "none") return { kind: servedBy };
  // A source the gateway learns later still reads as what it sent, rather than as nothing.
  return { kind: "other", text: servedBy };
}

/** `inference tier 10.0.0.7:50051`, `remote endpoint api.example.com`, `prediction cache`, … */
export function servedByWords(servedBy: string): string {
  const source = parseServedBy(servedBy);
  switch (source.kind) {
    case "tier":
      return `inference tier ${source.address}`;
    case "remote":
      return `remote endpoint ${source.host}`;
    case "ensemble":
      return "ensemble blend";
    case "cache":
      return "prediction cache";
    case "none":
      return "no answer";
    case "other":
      return source.text;
  }
}

/** The line under a classification: what its `latencyMs` measured depends on where it was answered. */
export function latencyWords(latencyMs: number, servedBy: string): string {
  const ms = `${latencyMs.toFixed(1)} ms`;
  switch (parseServedBy(servedBy).kind) {
    case "cache":
      return "Answered from the prediction cache: the model did not run again";
    case "remote":
      return `${ms} at the remote endpoint`;
    case "ensemble":
      return `${ms} from the first member's call to the blend`;
    default:
      return `${ms} in the inference tier`;
  }
}
