/**
 * Triton's protocol extensions and the RPCs each needs. ServerMetadata lists an extension only
 * when none of its RPCs is left unserved, so a client that trusts the list never meets
 * UNIMPLEMENTED.
 */
const extensionRpcs: Record<string, readonly string[]> = {
  model_repository: ["RepositoryIndex", "RepositoryModelLoad", "RepositoryModelUnload"],
  model_configuration: ["ModelConfig"],
  statistics: ["ModelStatistics"],
};

export function extensionsServed(unservedRpcs: readonly string[]): string[] {
  return Object.entries(extensionRpcs)
    .filter(([, rpcs]) => !rpcs.some((rpc) => unservedRpcs.includes(rpc)))
    .map(([extension]) => extension);
}
