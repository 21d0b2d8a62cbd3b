// The line-by-line problems of a refused upload: line, field, reason (in the reader's language).
import { Table } from './ResponsiveTable.tsx';
import type { LineError } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { useCodeText } from './registry.tsx';

export function LineErrorTable({ lines, label }: { lines: LineError[]; label?: (line: number) => string }) {
  const { t, lang } = useI18n();
  const code = useCodeText();
  if (lines.length === 0) return null;
  return (
    <Table<LineError>
      size="small"
      className="line-errors"
      rowKey={(e) => `${e.line}-${e.field}-${e.reason}`}
      dataSource={lines}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      // No sideways scroll: in a narrow card (the employer's CSV upload) the reason wraps instead of
      // running out of sight behind a scrollbar.
      columns={[
        { title: t('upload.line'), dataIndex: 'line', width: 64, align: 'right' },
        ...(label
          ? [{ title: t('upload.who'), key: 'who', render: (_: unknown, e: LineError) => label(e.line) }]
          : []),
        // the field in words (工资 / wage), not the file's column code
        { title: t('upload.field'), dataIndex: 'field', width: 110, render: (f: string) => code('field', f) },
        {
          title: t('upload.reason'),
          key: 'reason',
          render: (_: unknown, e: LineError) => (lang === 'zh-CN' ? e.reasonZh : e.reason),
        },
      ]}
    />
  );
}
