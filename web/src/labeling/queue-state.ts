/**
 * Where a person is in a labelling batch and the labels given so far, as a reducer: picking a
 * label moves on to the next item still without one, and each pick can be undone in turn.
 */
export interface QueueState {
  itemIds: readonly string[];
  /** The item on screen. */
  index: number;
  /** Labels given, by item id. */
  labels: ReadonlyMap<string, string>;
  /** Picks to undo, latest last: which item, where the queue stood, and the label it had before. */
  history: ReadonlyArray<{ itemId: string; index: number; previous: string | undefined }>;
}

export type QueueAction =
  | { type: "label"; label: string }
  | { type: "move"; by: number }
  | { type: "go"; index: number }
  | { type: "undo" };

export function initialQueue(itemIds: readonly string[]): QueueState {
  return { itemIds, index: 0, labels: new Map(), history: [] };
}

export function queueReducer(state: QueueState, action: QueueAction): QueueState {
  const last = state.itemIds.length - 1;
  switch (action.type) {
    case "label": {
      const itemId = state.itemIds[state.index];
      if (itemId === undefined) return state;
      const labels = new Map(state.labels).set(itemId, action.label);
      return {
        ...state,
        labels,
        index: nextUnlabelled(state.itemIds, labels, state.index) ?? state.index,
        history: [...state.history, { itemId, index: state.index, previous: state.labels.get(itemId) }],
      };
    }
    case "move":
      return go(state, state.index + action.by);
    case "go":
      return go(state, action.index);
    case "undo": {
      const step = state.history.at(-1);
      if (!step) return state;
      const labels = new Map(state.labels);
      if (step.previous === undefined) labels.delete(step.itemId);
      else labels.set(step.itemId, step.previous);
      return { ...state, labels, index: Math.min(step.index, last), history: state.history.slice(0, -1) };
    }
  }
}

function go(state: QueueState, index: number): QueueState {
  const clamped = Math.max(0, Math.min(state.itemIds.length - 1, index));
  return clamped === state.index ? state : { ...state, index: clamped };
}

/** The first item after `from` (wrapping round) that has no label; null when every item has one. */
function nextUnlabelled(
  itemIds: readonly string[],
  labels: ReadonlyMap<string, string>,
  from: number,
): number | null {
  for (let step = 1; step <= itemIds.length; step += 1) {
    const index = (from + step) % itemIds.length;
    if (!labels.has(itemIds[index]!)) return index;
  }
  return null;
}

/** The labels to submit, in the batch's order. */
export function labelInputs(state: QueueState): Array<{ itemId: string; label: string }> {
  return state.itemIds.flatMap((itemId) => {
    const label = state.labels.get(itemId);
    return label === undefined ? [] : [{ itemId, label }];
  });
}
