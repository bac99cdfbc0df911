import type { UploadProgressHub, UploadProgressSnapshot } from "../datasets/ingest/upload-progress";
import type { SignInChange, UsersService } from "../users/users.service";
import type { ClusterBus } from "./cluster-bus";

/**
 * Which in-process caches hear about changes made by other processes, and how. Each relay applies
 * another process's news exactly as a local change would, without publishing it again.
 */
export const topics = {
  servingChanged: "serving-changed",
  signInsChanged: "sign-ins-changed",
  adjustmentFitted: "adjustment-fitted",
  uploadProgress: "upload-progress",
  uploadProgressAsked: "upload-progress-asked",
} as const;

/** A service that tells listeners of its own changes and can apply one it did not make. */
interface ChangeSource<Change> {
  listen(listener: (change: Change) => void): void;
  apply(change: Change): void;
}

/**
 * Local changes go out; others' come in and are applied. Applying one may tell the service's
 * listeners again (the deployments' do): those echoes are not sent back out.
 */
function relay<Change>(bus: ClusterBus, topic: string, source: ChangeSource<Change>): void {
  let applying = false;
  source.listen((change) => {
    if (!applying) void bus.publish(topic, change);
  });
  bus.subscribe(topic, (change) => {
    applying = true;
    try {
      source.apply(change as Change);
    } finally {
      applying = false;
    }
  });
}

/**
 * What a model serves or who may see it changed (deploy, undeploy, alias moved, visibility,
 * versions deleted, a load finished): every process drops its serving targets for the model, and
 * through `onServingChanged` its predictions, remote endpoints and ensemble definitions.
 */
export function relayServingChanges(
  bus: ClusterBus,
  deployments: {
    onServingChanged(listener: (modelId: string) => void): void;
    invalidateServingTargets(modelId: string): void;
  },
): void {
  relay<{ modelId: string }>(bus, topics.servingChanged, {
    listen: (listener) => deployments.onServingChanged((modelId) => listener({ modelId })),
    apply: ({ modelId }) => deployments.invalidateServingTargets(modelId),
  });
}

/** A token revoked or a user deactivated: refused on the next request to any replica. */
export function relaySignInChanges(bus: ClusterBus, users: UsersService): void {
  relay<SignInChange>(bus, topics.signInsChanged, {
    listen: (listener) => users.onSignInsChanged(listener),
    apply: (change) => users.forgetSignIns(change),
  });
}

/**
 * A feedback adjustment was fitted (by whichever process ran the job): returns what the job's
 * `onFitted` calls, which drops the version's adjustment here and on every other process.
 */
export function relayAdjustmentFits(
  bus: ClusterBus,
  adjustments: { invalidate(versionId: string): void },
): (versionId: string) => void {
  bus.subscribe(topics.adjustmentFitted, (data) =>
    adjustments.invalidate((data as { versionId: string }).versionId),
  );
  return (versionId) => {
    adjustments.invalidate(versionId);
    void bus.publish(topics.adjustmentFitted, { versionId });
  };
}

interface ProgressMessage {
  key: string;
  snapshot: UploadProgressSnapshot;
  ended: boolean;
}

/**
 * Upload progress followed on another replica than the one receiving the upload. Snapshots are
 * already throttled by the hub (a few a second); they are not acknowledged, except the last one,
 * so that a follower elsewhere has its final snapshot by the time the upload's response is sent.
 */
export function relayUploadProgress(bus: ClusterBus, hub: UploadProgressHub): void {
  hub.relayTo({
    published: (key, snapshot, ended) =>
      void bus.publish(topics.uploadProgress, { key, snapshot, ended } satisfies ProgressMessage, {
        acknowledged: ended,
      }),
    asked: (key) => void bus.publish(topics.uploadProgressAsked, { key }, { acknowledged: false }),
  });
  bus.subscribe(topics.uploadProgress, (data) => {
    const { key, snapshot, ended } = data as ProgressMessage;
    hub.deliverRelayed(key, snapshot, ended);
  });
  bus.subscribe(topics.uploadProgressAsked, (data) => hub.answerRelayed((data as { key: string }).key));
}
