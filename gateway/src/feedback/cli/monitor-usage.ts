/** What `npm run monitor -- --help` prints. */
export const monitorUsage = `Follow a retraining policy: its evaluations and its runs' decisions as they happen.

Usage:
  npm run monitor -- --policy <id> [options]

  --policy <id>       the retraining policy (createRetrainingPolicy's id)
  --interval <s>      how often to read it again, 0.5 to 3600 seconds (default 2)
  --history <n>       past evaluations to print first, 0 to 50 (default 5)
  --url <url>         the gateway (default: $TESSERA_URL, else http://127.0.0.1:$PORT,
                      PORT defaulting to 4000)
  --json              one JSON object per line: { evaluation } or { run }
  -h, --help          this text

Set TESSERA_TOKEN to an API token of yours. Ctrl-C stops (exit 0).
`;
