import { useQuery } from "@apollo/client/react";
import { useCallback, useEffect, useState } from "react";
import { Link, useLocation } from "react-router";
import { JobStatus, ViewerDocument } from "../gql/graphql";
import { isOnPage, jobNoticeText } from "./job-notice-text";
import { useJobSubject } from "./use-job-subject";
import { useJobWatcher, type WatchedJobRow } from "./use-job-watcher";
import "./job-notices.css";

/** Older notices wait behind the newest few, so they never cover the page. */
const MOST_SHOWN = 3;

interface Notice {
  job: WatchedJobRow;
  /** The pages the viewer was on while it finished. */
  seenOn: string[];
}

/**
 * A notice when one of the viewer's jobs finishes (see useJobWatcher), unless they were on that
 * job's page as it did: they saw it there. Each stays until dismissed or followed. The list is a
 * polite live region, so screen readers read a notice out once, without interrupting.
 */
export function JobNotices() {
  const owner = useQuery(ViewerDocument).data?.me?.handle ?? null;
  const [notices, setNotices] = useState<Notice[]>([]);
  useJobWatcher(owner, (jobs, seenOn) =>
    setNotices((shown) => [
      ...shown,
      ...jobs
        .filter((job) => !shown.some((notice) => notice.job.id === job.id))
        .map((job) => ({ job, seenOn })),
    ]),
  );
  const dismiss = useCallback(
    (jobId: string) => setNotices((shown) => shown.filter((notice) => notice.job.id !== jobId)),
    [],
  );

  return (
    <div className="job-notices" role="status" aria-live="polite" aria-label="Job notifications">
      {notices.slice(-MOST_SHOWN).map((notice) => (
        <JobNotice key={notice.job.id} notice={notice} onDismiss={dismiss} />
      ))}
    </div>
  );
}

function JobNotice({ notice, onDismiss }: { notice: Notice; onDismiss(jobId: string): void }) {
  const { job, seenOn } = notice;
  const { pathname } = useLocation();
  const subject = useJobSubject(job);
  const onItsPage =
    subject.path !== null && [...seenOn, pathname].some((page) => isOnPage(page, subject.path!));
  useEffect(() => {
    if (onItsPage) onDismiss(job.id);
  }, [onItsPage, onDismiss, job.id]);
  // Quiet until it knows which page is the job's, so it never flashes up there.
  if (onItsPage || subject.loading) return null;

  const text = jobNoticeText(job, subject.name);
  const tone =
    job.status === JobStatus.Succeeded ? "good" : job.status === JobStatus.Failed ? "bad" : "neutral";
  return (
    <div className={`job-notice job-notice-${tone}`}>
      <p>
        {text}
        {subject.path && (
          <>
            {" — "}
            <Link to={subject.path} onClick={() => onDismiss(job.id)}>
              View
            </Link>
          </>
        )}
      </p>
      <button
        type="button"
        className="job-notice-dismiss"
        aria-label={`Dismiss: ${text}`}
        onClick={() => onDismiss(job.id)}
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
