export { headFromCheckpoint } from "./checkpoint";
export { predictProbabilities } from "./predict";
export { trainHead } from "./train-head";
