/**
 * Triton's protocol extensions the tier serves completely, for ServerMetadata. An extension is
 * listed only when every one of its RPCs answers, so a client that trusts the list never meets
 * UNIMPLEMENTED: model_repository (RepositoryIndex, RepositoryModelLoad, RepositoryModelUnload),
 * model_configuration (ModelConfig) and statistics (ModelStatistics).
 */
export const servedExtensions: readonly string[] = ["model_repository", "model_configuration", "statistics"];
