// Shared building blocks: data loading with loading/error states, error messages that say what to do.
import { Alert, Button, Empty, Spin, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { pickMessage, useI18n, type Translate } from '../i18n/index.tsx';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change; keeps the last data while reloading. Pass null to skip. */
export function useLoad<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(load !== null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const fn = loadRef.current;
    if (!fn) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    setError(null);
    fn()
      .then((d) => live && setData(d))
      .catch((e: unknown) => live && setError(e))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The message of an error in the reader's language, with advice by error code. */
export function errorText(
  e: unknown,
  t: Translate,
  lang: 'zh-CN' | 'en',
): { message: string; advice: string } {
  if (e instanceof ApiError) {
    const advice =
      e.status === 0
        ? t('error.advice.network')
        : e.status === 401
          ? t('error.advice.login')
          : e.code === 'SB_ERR_FOUR_EYES'
            ? // the account may release such work, only not this piece (its own, or about its holder)
              t('error.advice.fourEyes')
            : e.status === 403
              ? t('error.advice.forbidden')
              : e.status === 404
                ? t('error.advice.notFound')
                : e.status === 409
                  ? t('error.advice.conflict')
                  : e.status === 422
                    ? t('error.advice.notEligible')
                    : e.status >= 500
                      ? t('error.advice.server')
                      : t('error.advice.input');
    return { message: pickMessage(e.message, lang), advice };
  }
  return { message: e instanceof Error ? e.message : String(e), advice: t('error.advice.server') };
}

/** Two sentences, the first closed (a refusal and its advice ran together: "…本人经办的业务 您的账号…"). */
function sentences(first: string, second: string, lang: 'zh-CN' | 'en'): string {
  const closed = /[。.!！?？]$/.test(first);
  return lang === 'en' ? `${first}${closed ? '' : '.'} ${second}` : `${first}${closed ? '' : '。'}${second}`;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const { message, advice } = errorText(error, t, lang);
  // A refusal says so in its title, so nobody reads the (empty) list under it as "there is nothing".
  const refused = error instanceof ApiError && error.status === 403;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={refused ? t('forbidden.title') : message}
      description={refused ? sentences(message, advice, lang) : advice}
      action={onRetry ? <Button onClick={onRetry}>{t('action.retry')}</Button> : undefined}
      style={{ marginBottom: 16 }}
    />
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} aria-busy="true">
      <Spin />
      <div style={{ marginTop: 8, color: 'rgba(0,0,0,0.45)' }}>{label ?? t('state.loading')}</div>
    </div>
  );
}

export function EmptyState({
  title,
  hint,
  action,
}: {
  title: string;
  hint?: string | undefined;
  action?: ReactNode;
}) {
  return (
    <Empty
      description={
        <span>
          <Typography.Text strong>{title}</Typography.Text>
          {hint ? (
            <>
              <br />
              <Typography.Text type="secondary">{hint}</Typography.Text>
            </>
          ) : null}
        </span>
      }
    >
      {action}
    </Empty>
  );
}

/**
 * A table's words when it has no rows: what is not there and, where the reader can act, what to do
 * (antd's "No data" said neither). With a filter, `filtered` says that nothing matches it, not that
 * nothing exists.
 */
export function emptyTable(
  title: string,
  hint?: string,
  filtered?: { when: boolean; title: string; hint?: string },
): { emptyText: ReactNode } {
  const shown = filtered?.when ? filtered : { title, hint };
  return { emptyText: <EmptyState title={shown.title} hint={shown.hint} /> };
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-title">
      <Typography.Title level={3} style={{ margin: 0 }}>
        {children}
      </Typography.Title>
      {extra ? <div>{extra}</div> : null}
    </div>
  );
}

/** A table the server pages (20 a page), its total said in words: one shape for every register page. */
export function serverPaging(
  t: Translate,
  page: number,
  onChange: (page: number) => void,
  total: number | undefined,
) {
  return {
    current: page,
    pageSize: 20,
    total: total ?? 0,
    onChange,
    showTotal: (n: number) => t('list.total', { total: n }),
  };
}
