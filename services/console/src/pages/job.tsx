import { useConsole } from '../context.ts';
import { JobPanel } from '../jobs/job-panel.tsx';
import { useResource } from '../live/use-resource.ts';
import { Page } from '../ui/page.tsx';

/** A job on its own page, with a way back to its connection. */
export const JobPage = ({ id }: { id: string }) => {
  const { call } = useConsole();
  const jobId = Number(id);
  const job = useResource(`job-head:${jobId}`, () => call('getJobInfo', { id: jobId }), { live: false });
  const connectionId = job.data?.job.configId;
  return (
    <Page title={`Job ${jobId}`}>
      {connectionId && (
        <p>
          <a href={`/connections/${connectionId}`}>Back to its connection</a>
        </p>
      )}
      <JobPanel jobId={jobId} heading="h2" />
    </Page>
  );
};
