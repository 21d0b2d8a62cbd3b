// Ant Design's Table, except on a phone (narrower than 768 px) each row becomes a card: one line
// per column with the column's title beside the value, so no column (money least of all) scrolls
// out of sight. A drop-in: `import { Table } from '../components/ResponsiveTable.tsx'`.
import { Button, Grid, Table as AntTable, type TableProps } from 'antd';
import type { ColumnGroupType, ColumnType } from 'antd/es/table';
import { isValidElement, type ReactNode } from 'react';
import { useI18n } from '../i18n/index.tsx';

type Column<T> = ColumnType<T> | ColumnGroupType<T>;

function titleText(title: unknown): string {
  if (typeof title === 'string' || typeof title === 'number') return String(title);
  if (isValidElement(title)) {
    const children = (title.props as { children?: ReactNode }).children;
    if (typeof children === 'string') return children;
  }
  return '';
}

// A grouped column's label carries its group's ("缴费月数 · 养老"): "养老" alone in a card said nothing.
function labelled<T>(columns: readonly Column<T>[], group = ''): Column<T>[] {
  return columns.map((c) => {
    const own = titleText(typeof c.title === 'function' ? '' : c.title);
    const label = group && own ? `${group} · ${own}` : own || group;
    const onCell = c.onCell;
    // Fixed columns make no sense in a card.
    return {
      ...c,
      fixed: false,
      ...('children' in c && c.children ? { children: labelled(c.children, label) } : {}),
      onCell: (record: T, index?: number) => ({ ...(onCell?.(record, index) ?? {}), 'data-label': label }),
    };
  });
}

export function Table<T extends object>(props: TableProps<T>) {
  const { t } = useI18n();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  if (!narrow) return <AntTable<T> {...props} />;
  const { columns, className, pagination, expandable, ...rest } = props;
  return (
    <AntTable<T>
      {...rest}
      // A row's expand control in words at the card's foot (styles.css): a lone "+" at its top said
      // nothing, and was a 17 px target.
      {...(expandable
        ? {
            expandable: {
              expandIcon: ({ expanded, expandable: can, onExpand, record }) =>
                can ? (
                  <Button
                    type="link"
                    size="small"
                    className="table-cards-expand"
                    aria-expanded={expanded}
                    onClick={(e) => onExpand(record, e)}
                  >
                    {t(expanded ? 'table.collapse' : 'table.expand')}
                  </Button>
                ) : null,
              ...expandable,
            },
          }
        : {})}
      // A page number is a finger's target here: the full-size pager (32 px), not a small table's 24 px.
      pagination={pagination === false ? false : { size: 'medium', ...pagination }}
      scroll={{}}
      className={`${className ?? ''} table-cards`}
      {...(columns ? { columns: labelled(columns) ?? [] } : {})}
    />
  );
}
