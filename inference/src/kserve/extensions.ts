/**
 * Triton's protocol extensions the tier serves completely, for ServerMetadata. An extension is
 * listed only when every one of its RPCs answers, so a client that trusts the list never meets
 * UNIMPLEMENTED: model_repository (RepositoryIndex, RepositoryModelLoad, RepositoryModelUnload),
 * model_configuration (ModelConfig) and statistics (ModelStatistics) always;
 * system_shared_memory (SystemSharedMemoryStatus, -Register, -Unregister and the tensor
 * parameters of ModelInfer) only when INFERENCE_ALLOW_CLIENT_SHM is on, as Register and
 * Unregister answer UNIMPLEMENTED otherwise.
 */
export function servedExtensions(options: { systemSharedMemory: boolean }): string[] {
  const extensions = ["model_repository", "model_configuration", "statistics"];
  if (options.systemSharedMemory) extensions.push("system_shared_memory");
  return extensions;
}
