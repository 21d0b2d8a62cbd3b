// The upload cards' common part (bank receipts, bank returns, data imports): the file chosen, the upload
// under way, the server's answer, or its refusal with every problem by line. Choosing another file
// clears the last answer, so nobody reads an old result as the new file's.
import { Alert, Button, Space } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { ErrorAlert } from './common.tsx';
import { CsvFileButton, type CsvFile } from './CsvFileButton.tsx';
import { LineErrorTable } from './LineErrorTable.tsx';

export interface CsvUpload<A> {
  file: CsvFile | null;
  busy: boolean;
  answer: A | null;
  error: unknown;
  /** false while the upload cannot be sent (e.g. the clerk has no region) */
  canSend: boolean;
  choose: (file: CsvFile) => void;
  upload: () => Promise<void>;
  /** forget the last answer or refusal, keeping the file (the page's options changed) */
  clear: () => void;
}

/** `send` is null while the upload cannot be sent; its button is then disabled. */
export function useCsvUpload<A>(send: ((file: CsvFile) => Promise<A>) | null): CsvUpload<A> {
  const [file, setFile] = useState<CsvFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<A | null>(null);
  const [error, setError] = useState<unknown>(null);
  const clear = () => {
    setAnswer(null);
    setError(null);
  };
  return {
    file,
    busy,
    answer,
    error,
    canSend: send !== null,
    choose: (f) => {
      clear();
      setFile(f);
    },
    upload: async () => {
      if (!file || !send) return;
      setBusy(true);
      clear();
      try {
        setAnswer(await send(file));
      } catch (e) {
        setError(e);
      } finally {
        setBusy(false);
      }
    },
    clear,
  };
}

/**
 * The choose and import buttons; once the file is read, `done`'s title and counts in a green alert and
 * `details` under it (the page's table of lines); else the refusal and its problems by line.
 */
export function CsvUploadControls<A>({
  upload,
  importLabel,
  done,
  details,
  beside,
}: {
  upload: CsvUpload<A>;
  importLabel: (fileName: string) => string;
  done: (answer: A) => { title: string; description?: ReactNode };
  details?: (answer: A) => ReactNode;
  /** another way to choose a file, after the choose button (the demo's sample) */
  beside?: ReactNode;
}) {
  const { file, busy, answer, error } = upload;
  return (
    <>
      <Space wrap>
        <CsvFileButton onFile={upload.choose} />
        {beside}
        {file ? (
          <Button
            type="primary"
            loading={busy}
            disabled={!upload.canSend}
            onClick={() => void upload.upload()}
          >
            {importLabel(file.name)}
          </Button>
        ) : null}
      </Space>
      {answer !== null ? (
        <>
          <Alert type="success" showIcon role="status" style={{ marginTop: 16 }} {...done(answer)} />
          {details ? <div style={{ marginTop: 12 }}>{details(answer)}</div> : null}
        </>
      ) : null}
      {error ? (
        <div style={{ marginTop: 16 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <LineErrorTable lines={error instanceof ApiError ? error.lines : []} />
    </>
  );
}
