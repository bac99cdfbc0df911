/** What `npm run train -- --help` prints. */
export const trainUsage = `Train a classifier on a dataset version and register it as a model version.

Usage:
  npm run train -- --dataset <versionId> --model <versionId> --target <slug> [options]

Required:
  --dataset <id>            dataset version to train on
  --model <id>              base model version: an ONNX backbone of the registry, or the
                            built-in embedder (system/feature-embedder)
  --target <slug>           model of yours that gets the result as its next version
                            (created when it does not exist)

Training (left out: the gateway's defaults):
  --epochs <n>              epochs per trial
  --learning-rate <x>       above 0, e.g. 0.001
  --batch-size <n>          samples per mini-batch
  --validation-split <x>    share of each class held out for validation, between 0 and 1
  --seed <n>                seed of the split, the initial weights and the search
  --augment                 train on augmented copies too (flips, crops, colour jitter, rotations)

Hyperparameter search:
  --optimize-hyperparams    search learning rate, dropout and hidden units; keep the best trial
  --strategy <s>            GRID, RANDOM or BAYESIAN (TPE)
  --max-trials <n>          trials to run at most

Output and connection:
  --url <url>               the gateway (default: $TESSERA_URL, else http://127.0.0.1:$PORT,
                            PORT defaulting to 4000)
  --json                    one JSON object per line: { started }, { event } for each event,
                            then { finished } or { errors }; notes go to stderr
                            (\`npm run -s train\` drops npm's own lines)
  -h, --help                this text

Environment:
  TESSERA_TOKEN             your API token (required; sent as "Authorization: Bearer …")
  TESSERA_URL               the gateway's URL when --url is left out

Shows a progress bar on a terminal (plain lines otherwise). Ctrl-C cancels the job and waits
until the gateway reports it cancelled; a second Ctrl-C leaves without waiting.

Exit codes: 0 succeeded, 1 failed or refused by the gateway, 2 bad usage (nothing sent),
130 cancelled with Ctrl-C.
`;
