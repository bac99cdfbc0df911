import { limits } from "../../limits";

/** What `npm run active-learning -- --help` prints. */
export const activeLearningUsage = `Pick pool items for a person to label: the ones a model is least sure of, spread out.

Usage:
  npm run active-learning -- select --model <versionId> --pool <pool> --count <n> [options]

Required:
  --model <id>              the classifier whose probabilities rank the pool
  --pool <pool>             a dataset version id (its unlabeled samples), or
                            predictions:<modelVersionId> (that version's logged predictions
                            without feedback)
  --count <n>               items in the batch, 1 to ${limits.labeling.batchSize}

Selection (left out: the gateway's defaults):
  --strategy <s>            ENTROPY (default), MARGIN, LEAST_CONFIDENCE or RANDOM
  --diversity <d>           NONE (default), KCENTER or CLUSTER
  --random-share <x>        share of the batch drawn at random, 0 to 1 (default 0)
  --seed <n>                same seed and pool, same batch
  --target-dataset <id>     for a predictions pool: the dataset the labelled images join
                            (default: the one the model version was trained on)

Output and connection:
  --url <url>               the gateway (default: $TESSERA_URL, else http://127.0.0.1:$PORT)
  --json                    the batch as one JSON object
  -h, --help                this text

Environment:
  TESSERA_TOKEN             your API token (required)
  TESSERA_URL               the gateway's URL when --url is left out

Then label the items in the dashboard, or write a CSV of itemId,label and run
  npm run labels -- submit --batch <batchId> --file labels.csv

Exit codes: 0 done, 1 refused by the gateway, 2 bad usage (nothing sent).
`;
