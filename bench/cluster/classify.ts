import { deployBenchCnn } from "../inference/classify-paths";
import { mediumCnn } from "../inference/medium-cnn";
import { repeatedUpload } from "../inference/multipart-client";
import type { Ratio } from "../lib/report";
import type { ClusterUnderTest } from "./cluster-under-test";
import { replicaClient } from "./graphql-client";
import { compareOneVsTwo, type SplitLoadOptions } from "./split-load";

const CLASSIFY = `mutation ($id: ID!, $image: ImageInput!) {
  classifyImage(modelVersionId: $id, image: $image, topK: 3, useCache: false) { predictions { label score } }
}`;
const CREATE_TOKEN = `mutation { createApiToken(name: "bench-replicas-classify") { secret } }`;

/**
 * classifyImage of one PNG (the medium CNN of the inference bench, uploaded and deployed through A
 * with the default config) with `useCache: false`, so every request runs the model on the one
 * tier; an API token minted on A signs every request on both replicas.
 */
export async function benchReplicaClassify(
  cluster: ClusterUnderTest,
  options: SplitLoadOptions,
): Promise<Ratio> {
  const setup = replicaClient(cluster.a.url, cluster.adminToken);
  const cnn = await deployBenchCnn(setup);
  const { createApiToken } = await setup.graphql<{ createApiToken: { secret: string } }>(CREATE_TOKEN, {});
  const connect = (url: string) =>
    repeatedUpload({
      url,
      token: createApiToken.secret,
      query: CLASSIFY,
      variables: { id: cnn.versionId, image: { upload: null } },
      file: { path: "image.upload", filename: "image.png", content: cnn.png },
      connections: options.clients,
    });
  const a = connect(cluster.a.url);
  const b = connect(cluster.b.url);
  try {
    return await compareOneVsTwo(
      cluster,
      "replicas.classify",
      `replicas.classify: classifyImage (useCache: false) of a ${mediumCnn.size}×${mediumCnn.size} PNG, one tier`,
      options,
      { a: a.send, b: b.send },
    );
  } finally {
    a.close();
    b.close();
  }
}
