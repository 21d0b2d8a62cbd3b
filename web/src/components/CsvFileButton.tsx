// The "choose a CSV file" button of the upload pages (bank receipts, data imports, declarations): a
// button that opens the browser's file dialog and hands the chosen file's name and text on. The same
// file chosen twice is read again.
import { UploadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useRef } from 'react';
import { useI18n } from '../i18n/index.tsx';

export interface CsvFile {
  name: string;
  text: string;
}

export function CsvFileButton({ onFile }: { onFile: (file: CsvFile) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => input.current?.click()}>
        {t('declare.choose')}
      </Button>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        aria-label={t('declare.choose')}
        style={{ display: 'none' }}
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void f.text().then((text) => onFile({ name: f.name, text }));
        }}
      />
    </>
  );
}
