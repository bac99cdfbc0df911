import { Link } from "react-router";
import type { JobSubject } from "./use-job-subject";

/** What a job works on, linked to its page; a placeholder while it is looked up. */
export function JobSubjectLink({ subject }: { subject: JobSubject }) {
  if (subject.gone) return <span className="muted">deleted</span>;
  if (subject.loading) return <span className="muted">…</span>;
  if (!subject.name)
    return subject.path ? <Link to={subject.path}>open</Link> : <span className="muted">—</span>;
  return subject.path ? <Link to={subject.path}>{subject.name}</Link> : <>{subject.name}</>;
}
