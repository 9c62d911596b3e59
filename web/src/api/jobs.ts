/**
 * Following a server job (imports): the one poll loop of the web. Shows each state as it comes,
 * and, when the job failed, has the refusal catalogue loaded before it returns, so that the
 * caller's jobFailureText / refusalError says the failure in the UI's language.
 */
import { loadRefusalCatalogue } from './client';

/** A job's state: `status` in most modules, `state` in the incident import's. */
type JobLike = { id: string } & ({ status: string } | { state: string });
const stateOf = (job: JobLike) => ('status' in job ? job.status : job.state);

export async function followJob<J extends JobLike>(
  first: J,
  fetchJob: (id: string) => Promise<J>,
  onState: (job: J) => void,
  intervalMs = 400,
): Promise<J> {
  let current = first;
  onState(current);
  while (stateOf(current) === 'running') {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    current = await fetchJob(current.id);
    onState(current);
  }
  if (stateOf(current) === 'failed') await loadRefusalCatalogue();
  return current;
}
