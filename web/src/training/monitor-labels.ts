import { MonitoredMetric } from "../gql/graphql";

/** The monitored metric in words, for the form, the trials table and the options summary. */
export const monitorLabels: Record<MonitoredMetric, string> = {
  [MonitoredMetric.ValLoss]: "Validation loss",
  [MonitoredMetric.ValAccuracy]: "Validation accuracy",
  [MonitoredMetric.Loss]: "Training loss",
  [MonitoredMetric.Accuracy]: "Training accuracy",
};
