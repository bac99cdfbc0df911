import { useLazyQuery } from "@apollo/client/react";
import { useEffect, useId, useState } from "react";
import { SimilarSamplesDocument } from "../gql/graphql";
import { FileDropZone } from "../ui/file-drop-zone";
import type { PickedFile } from "../ui/picked-files";
import { SIMILAR_COUNT, SimilarResults } from "./similar-samples";
import { useVersion } from "./version-context";

type Scope = "dataset" | "all";

/** Drop any image: the gateway embeds it in the dataset's space and answers with the nearest samples. */
export default function SearchByImageTab() {
  const id = useId();
  const { datasetId, readySpaces } = useVersion();
  const [picked, setPicked] = useState<{ image: File; preview: string } | null>(null);
  const [scope, setScope] = useState<Scope>("dataset");
  const [space, setSpace] = useState<string>("");
  const [search, { data, loading, error, called }] = useLazyQuery(SimilarSamplesDocument, {
    fetchPolicy: "no-cache",
  });

  useEffect(
    () => () => {
      if (picked) URL.revokeObjectURL(picked.preview);
    },
    [picked],
  );
  const image = picked?.image ?? null;

  const run = (file: File, nextScope: Scope, nextSpace: string) => {
    void search({
      variables: {
        image: file,
        k: SIMILAR_COUNT,
        datasetId: nextScope === "dataset" ? datasetId : null,
        space: nextSpace || null,
      },
    }).catch(() => null);
  };
  const onFiles = (files: PickedFile[]) => {
    const file = files[0]?.file;
    if (!file) return;
    setPicked({ image: file, preview: URL.createObjectURL(file) });
    run(file, scope, space);
  };
  const ready = readySpaces.length > 0;

  return (
    <div className="search-by-image">
      <div className="search-by-image-input">
        <FileDropZone
          label="Image to search with"
          hint="Drop a JPEG, PNG, WebP or GIF image, or choose one"
          accept="image/jpeg,image/png,image/webp,image/gif"
          disabled={!ready || loading}
          onFiles={onFiles}
        />
        <div className="inline-form">
          <div className="field">
            <label htmlFor={`${id}-scope`}>Search in</label>
            <select
              id={`${id}-scope`}
              value={scope}
              onChange={(event) => {
                const next = event.target.value as Scope;
                setScope(next);
                if (image) run(image, next, space);
              }}
            >
              <option value="dataset">This dataset</option>
              <option value="all">Every dataset I can see</option>
            </select>
          </div>
          {readySpaces.length > 1 && (
            <div className="field">
              <label htmlFor={`${id}-space`}>Embedding space</label>
              <select
                id={`${id}-space`}
                value={space}
                onChange={(event) => {
                  setSpace(event.target.value);
                  if (image) run(image, scope, event.target.value);
                }}
              >
                <option value="">The latest computed</option>
                {readySpaces.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {picked && (
          <figure className="search-image">
            <img src={picked.preview} alt={`The image searched with: ${picked.image.name}`} />
            <figcaption className="muted">{picked.image.name}</figcaption>
          </figure>
        )}
      </div>
      <SimilarResults
        title="Nearest images"
        results={called ? data?.similarSamples : undefined}
        loading={loading}
        error={error}
        waiting={
          !ready
            ? "Search by image needs this version's embeddings: wait for them to finish, or compute them above."
            : called
              ? null
              : "Drop an image to see the most similar samples."
        }
      />
    </div>
  );
}
