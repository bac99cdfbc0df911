/** What `npm run labels -- --help` prints. */
export const labelsUsage = `Submit the labels of a labelling batch: one new dataset version with those items labelled.

Usage:
  npm run labels -- submit --batch <batchId> --file <labels.csv> [options]

Required:
  --batch <id>              the batch (from npm run active-learning -- select)
  --file <path>             a CSV of itemId,label rows; a first row "itemId,label" is a header.
                            Each label is one of the model's labels or a class of the dataset

Output and connection:
  --url <url>               the gateway (default: $TESSERA_URL, else http://127.0.0.1:$PORT)
  --json                    the new dataset version as one JSON object
  -h, --help                this text

Environment:
  TESSERA_TOKEN             your API token (required)
  TESSERA_URL               the gateway's URL when --url is left out

Submitting the same labels again prints the same version; other labels are refused (CONFLICT).
Exit codes: 0 done, 1 refused by the gateway, 2 bad usage or an unreadable file (nothing sent).
`;
