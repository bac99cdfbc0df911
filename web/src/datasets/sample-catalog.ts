import type { SampleTileFragment } from "../gql/graphql";

export type SampleTile = SampleTileFragment;

export interface SamplePage {
  samples: SampleTile[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** One page of a version's samples after `after` (null: the first page). */
export type FetchSamplePage = (after: string | null, signal: AbortSignal) => Promise<SamplePage>;

export interface CatalogSnapshot {
  /** The samples loaded so far, in the version's order (by path in the upload). */
  samples: readonly SampleTile[];
  /** How many the version (or class) holds; null until the first page arrives. */
  totalCount: number | null;
  loading: boolean;
  complete: boolean;
  /** Why the last page failed; loading stops until `retry()`. */
  error: unknown;
}

/**
 * A version's samples, loaded page by page in order and only as far as someone asked: the grid
 * asks for what is on screen, the map and the quality report for everything. The API pages by
 * cursor, so pages come one after another.
 */
export class SampleCatalog {
  private state: CatalogSnapshot = {
    samples: [],
    totalCount: null,
    loading: false,
    complete: false,
    error: null,
  };
  private readonly listeners = new Set<() => void>();
  private controller = new AbortController();
  private cursor: string | null = null;
  private wanted = 0;

  constructor(private readonly fetchPage: FetchSamplePage) {}

  readonly snapshot = (): CatalogSnapshot => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads pages until at least `count` samples are here, or all of them are. */
  ensure(count: number): void {
    if (count <= this.wanted) return;
    this.wanted = count;
    void this.load();
  }

  loadAll(): void {
    this.ensure(Number.POSITIVE_INFINITY);
  }

  /** Every sample, once all pages are in; rejects with the error that stopped loading. */
  all(): Promise<readonly SampleTile[]> {
    this.loadAll();
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        if (this.state.complete) resolve(this.state.samples);
        else if (this.state.error) reject(this.state.error as Error);
        else return false;
        return true;
      };
      if (settle()) return;
      const unsubscribe = this.subscribe(() => settle() && unsubscribe());
    });
  }

  retry(): void {
    if (!this.state.error) return;
    this.update({ error: null });
    void this.load();
  }

  /** Cancels the page on its way; a later `ensure` picks up where loading stopped. */
  stop(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.wanted = this.state.samples.length;
    if (this.state.loading) this.update({ loading: false });
  }

  private async load(): Promise<void> {
    if (this.state.loading || this.state.error) return;
    const { signal } = this.controller;
    this.update({ loading: true });
    try {
      while (!this.state.complete && this.state.samples.length < this.wanted) {
        const page = await this.fetchPage(this.cursor, signal);
        if (signal.aborted) return;
        this.cursor = page.endCursor;
        this.update({
          samples: [...this.state.samples, ...page.samples],
          totalCount: page.totalCount,
          complete: !page.hasNextPage || page.samples.length === 0,
        });
      }
      this.update({ loading: false });
    } catch (error) {
      if (!signal.aborted) this.update({ loading: false, error });
    }
  }

  private update(change: Partial<CatalogSnapshot>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}

/** The sample's class in its version, as shown; samples of the unlabeled pool have none. */
export function classNameOf(sample: { class: { name: string } | null }): string {
  return sample.class?.name ?? "no class";
}
