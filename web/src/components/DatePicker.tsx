// AntD's date picker showing the day (or month) in words in the reader's language, as the pages show
// dates, while still taking the ISO form a clerk may type: AntD displays with the first format and
// parses with all of them. The pickers showed 2026-12-10 while every page around them said 2026年12月10日.
import { DatePicker as AntDatePicker, type DatePickerProps, type GetProps } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../i18n/index.tsx';
import { pickerFormats, todayIso } from '../format.ts';

type RangeProps = GetProps<typeof AntDatePicker.RangePicker>;

function RangePicker(props: RangeProps) {
  const { lang } = useI18n();
  return <AntDatePicker.RangePicker format={pickerFormats(lang, props.picker)} {...props} />;
}

type PickerProps = DatePickerProps<Dayjs, false> & {
  /**
   * Offers nothing after the agency's today (the day, or with picker="month" its month): for events that
   * cannot have happened yet, which the server refuses. By the agency's date, not the browser's.
   */
  upToToday?: boolean;
};

export function DatePicker({ upToToday = false, disabledDate, ...props }: PickerProps) {
  const { lang } = useI18n();
  const today = todayIso();
  const unit = props.picker === 'month' ? 'month' : 'day';
  return (
    <AntDatePicker
      format={pickerFormats(lang, props.picker)}
      {...props}
      {...(upToToday
        ? { disabledDate: (d, info) => d.isAfter(dayjs(today), unit) || (disabledDate?.(d, info) ?? false) }
        : disabledDate
          ? { disabledDate }
          : {})}
    />
  );
}
DatePicker.RangePicker = RangePicker;

/**
 * The picker for a page that keeps the day (or, with picker="month", the month) as the server's ISO
 * text, '' for none: the same words in the box, the ISO form in and out (the bare date boxes of the
 * injury, hospital and supervision pages showed 12/04/2026 in the browser's order).
 */
export function IsoDatePicker({
  value,
  onChange,
  ...props
}: Omit<PickerProps, 'value' | 'onChange'> & {
  value?: string;
  onChange?: (iso: string) => void;
}) {
  const month = props.picker === 'month';
  const iso = month ? 'YYYY-MM' : 'YYYY-MM-DD';
  return (
    <DatePicker
      {...props}
      value={value ? dayjs(month ? `${value}-01` : value) : null}
      onChange={(d) => onChange?.(d ? d.format(iso) : '')}
    />
  );
}
