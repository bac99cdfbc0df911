/**
 * Writes that arrive while one is running are written together in the next one (group commit):
 * under load a database that runs one transaction at a time commits N callers' rows in one
 * transaction instead of N, and a lone caller waits for nothing (its batch starts at once, no
 * timer). Every caller still waits until its own rows are committed. A batch that fails is
 * retried item by item, so a bad item fails only its own caller.
 */
export class GroupCommit<Item, Result> {
  private pending: Array<{ item: Item; resolve: (r: Result) => void; reject: (e: unknown) => void }> = [];
  private running = false;

  constructor(
    private readonly writeBatch: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const results = await this.writeBatch(batch.map((entry) => entry.item));
        batch.forEach((entry, index) => entry.resolve(results[index]!));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        for (const entry of batch) {
          await this.writeBatch([entry.item]).then(([result]) => entry.resolve(result!), entry.reject);
        }
      }
    }
    this.running = false;
  }
}
