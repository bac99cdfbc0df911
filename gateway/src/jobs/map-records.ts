/**
 * `map` over a subscription's iterator, leaving out values mapped to null (records a view does not
 * show), that keeps its `return()`: a client leaving still ends the source at once.
 */
export function mapRecords<T, U>(
  source: AsyncIterableIterator<T>,
  map: (value: T) => U | null,
): AsyncIterableIterator<U> {
  const mapped: AsyncIterableIterator<U> = {
    next: async () => {
      for (;;) {
        const result = await source.next();
        if (result.done) return { value: undefined, done: true };
        const value = map(result.value);
        if (value !== null) return { value, done: false };
      }
    },
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => mapped,
  };
  return mapped;
}
