import { useId } from "react";
import { GRAPHQL_PATH } from "../api/apollo-client";

/**
 * What a collected pair is and how one gets here. Nothing in the dashboard makes pairs: a
 * product's backend sends them through the API, so the page says how, with a request to copy.
 */
export function PairsAbout() {
  const id = useId();
  const endpoint = new URL(GRAPHQL_PATH, window.location.origin).href;
  return (
    <section className="panel pairs-about" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>How pairs arrive</h2>
      <p>
        Nothing in the dashboard creates them. A product&apos;s backend, holding an API token (create one
        under <strong>API tokens</strong> in your user menu), calls the <code>storeTrainingPair</code>{" "}
        mutation for each edit a person made: both images as uploads (JPEG, PNG, WebP or GIF), the instruction
        (1 to 2,000 characters), optionally the person&apos;s email (a label for privacy requests, never
        mailed; without it the pair is stored as &ldquo;anonymous&rdquo;) and a <code>sessionId</code> that
        keeps one product session&apos;s pairs together in the export.
      </p>
      <p>
        Admins see and export every pair; members see the pairs sent with their own tokens.{" "}
        <strong>Export as ZIP</strong> gives a folder per session with both images and{" "}
        <code>metadata.json</code>, plus <code>training-log.jsonl</code> with one line per pair. For a privacy
        request, an admin deletes every pair of one email with <code>deleteTrainingPairsByEmail</code>.
      </p>
      <details>
        <summary>Example request</summary>
        <pre className="code-block">{exampleRequest(endpoint)}</pre>
      </details>
    </section>
  );
}

function exampleRequest(endpoint: string): string {
  const query =
    "mutation ($before: Upload!, $after: Upload!) { storeTrainingPair(original: $before, transformed: $after, " +
    'instruction: \\"make the sky purple\\", userEmail: \\"ada@example.com\\", sessionId: \\"session-42\\") { id } }';
  return [
    `curl ${endpoint} \\`,
    '  -H "Authorization: Bearer $TOKEN" -H "apollo-require-preflight: true" \\',
    `  -F operations='{"query":"${query}","variables":{"before":null,"after":null}}' \\`,
    `  -F map='{"0":["variables.before"],"1":["variables.after"]}' \\`,
    "  -F 0=@before.png -F 1=@after.png",
  ].join("\n");
}
