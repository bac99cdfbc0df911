import type {
  Hyperparameters,
  LabelledFeatures,
  TrainerEvent,
  TrainHeadOptions,
  TrainingFeatures,
} from "../../../src/training/contracts";
import { SeededRandom } from "../../../src/training/head/random";
import { trainHead } from "../../../src/training/head/train-head";

/** Hyperparameters as the gRPC layer hands them over: every field present, 0 where unset. */
export function hyperparameters(overrides: Partial<Hyperparameters> = {}): Hyperparameters {
  return {
    learning_rate: 0.01,
    epochs: 5,
    batch_size: 16,
    trainable_layers_count: 1,
    hidden_units: 16,
    dropout: 0,
    weight_decay: 0,
    optimizer: "ADAM",
    momentum: 0,
    schedule: "CONSTANT",
    step_size: 0,
    gamma: 0,
    plateau_patience: 0,
    plateau_factor: 0,
    early_stopping: false,
    patience: 0,
    min_delta: 0,
    monitor: "",
    augmented_copies: 0,
    class_weights: [],
    seed: 42,
    ...overrides,
  };
}

export interface ClusterData {
  train: TrainingFeatures;
  validation: LabelledFeatures;
  test: LabelledFeatures;
  labels: string[];
}

/**
 * `classes` Gaussian clusters in `dimension` features, `spread` apart relative to unit noise;
 * each training sample comes with `copies` augmented variants (itself plus a little noise).
 */
export function clusters(options: {
  classes: number;
  dimension: number;
  perClass: number;
  spread: number;
  copies?: number;
  seed?: number;
}): ClusterData {
  const { classes, dimension, perClass, spread, copies = 0 } = options;
  const random = new SeededRandom(options.seed ?? 1);
  const centres = Array.from({ length: classes }, () =>
    Float32Array.from({ length: dimension }, () => random.nextNormal() * spread),
  );
  const near = (vector: Float32Array, noise: number) =>
    Float32Array.from(vector, (value) => value + random.nextNormal() * noise);
  const split = (count: number): LabelledFeatures => {
    const labels = Uint32Array.from({ length: count * classes }, (_, index) => index % classes);
    return { features: Array.from(labels, (label) => near(centres[label]!, 1)), labels };
  };
  const plain = split(perClass);
  const variants = plain.features.map((vector) => [
    vector,
    ...Array.from({ length: copies }, () => near(vector, 0.2)),
  ]);
  return {
    train: { variants, labels: plain.labels },
    validation: split(Math.max(2, perClass >> 2)),
    test: split(Math.max(2, perClass >> 2)),
    labels: Array.from({ length: classes }, (_, index) => `class-${index}`),
  };
}

export function trainOn(
  data: ClusterData,
  overrides: Partial<Hyperparameters>,
  extra: Partial<TrainHeadOptions> = {},
): AsyncGenerator<TrainerEvent> {
  return trainHead({
    classes: data.labels.length,
    labels: data.labels,
    hyperparameters: hyperparameters(overrides),
    train: data.train,
    validation: data.validation,
    test: data.test,
    checkpoint: null,
    signal: new AbortController().signal,
    ...extra,
  });
}

export async function collect(events: AsyncGenerator<TrainerEvent>): Promise<TrainerEvent[]> {
  const all: TrainerEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function eventsOf<K extends TrainerEvent["kind"]>(
  events: TrainerEvent[],
  kind: K,
): Extract<TrainerEvent, { kind: K }>[] {
  return events.filter((event): event is Extract<TrainerEvent, { kind: K }> => event.kind === kind);
}

export function resultOf(events: TrainerEvent[]): Extract<TrainerEvent, { kind: "result" }> {
  const [result] = eventsOf(events, "result");
  if (result === undefined) throw new Error("the run yielded no result");
  return result;
}

/** Metrics without the wall-clock ones, which no two runs share. */
export function withoutTimings(values: Record<string, number>): Record<string, number> {
  const { epoch_seconds: _seconds, samples_per_second: _rate, ...rest } = values;
  return rest;
}
