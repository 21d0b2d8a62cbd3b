// A background job started from a page (issue 18: a released payroll or adjustment, an assessment, the
// refund scan) while it runs: a progress bar of its chunks (Ant Design Progress) and the figures, read
// by polling GET /api/v1/jobs/{id} (waitForJob in api.ts).
import { Alert, Progress } from 'antd';
import type { BackgroundJob } from '../api.ts';
import { formatCount } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';

/** done of total as a whole percent; 0 while the job waits or has not counted its chunks yet. */
export const jobPercent = (job: BackgroundJob | null): number => {
  const p = job?.progress;
  return p && p.total > 0 ? Math.min(100, Math.floor((p.done * 100) / p.total)) : 0;
};

export function JobProgress({ title, job }: { title: string; job: BackgroundJob | null }) {
  const { t } = useI18n();
  const p = job?.progress;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 12 }}
      title={title}
      description={
        <div data-testid="job-progress">
          <Progress percent={jobPercent(job)} status="active" aria-label={title} />
          <div>
            {p && p.total > 0
              ? t('job.progress', { done: formatCount(p.done), total: formatCount(p.total) })
              : t('job.queued')}
          </div>
        </div>
      }
    />
  );
}
