import { serviceUnavailable } from "../../errors";
import { DatasetImportSource } from "./import-dataset.types";

/**
 * Kaggle needs an account's API key and TFDS downloads from each dataset's own servers; this
 * gateway has neither credentials for them nor network access beyond HF_ENDPOINT and the URLs it
 * is given. SERVICE_UNAVAILABLE, not BAD_USER_INPUT: the request is well formed, it is this server
 * that cannot serve it, and a server that could would accept it unchanged.
 */
export function unavailableSource(source: DatasetImportSource.KAGGLE | DatasetImportSource.TFDS) {
  const what =
    source === DatasetImportSource.KAGGLE
      ? "Kaggle imports need Kaggle API credentials and access to kaggle.com"
      : "TensorFlow Datasets imports need network access to each dataset's download servers";
  return serviceUnavailable(
    `${what}, which this server does not have. Download the dataset elsewhere and upload it as a ZIP ` +
      `of class folders (uploadDataset), or import it from a URL or the Hugging Face Hub.`,
  );
}
