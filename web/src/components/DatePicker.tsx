// AntD's date picker showing the day (or month) in words in the reader's language, as the pages show
// dates, while still taking the ISO form a clerk may type: AntD displays with the first format and
// parses with all of them. The pickers showed 2026-12-10 while every page around them said 2026年12月10日.
import { DatePicker as AntDatePicker, type DatePickerProps, type GetProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../i18n/index.tsx';
import { pickerFormats } from '../format.ts';

type RangeProps = GetProps<typeof AntDatePicker.RangePicker>;

function RangePicker(props: RangeProps) {
  const { lang } = useI18n();
  return <AntDatePicker.RangePicker format={pickerFormats(lang, props.picker)} {...props} />;
}

export function DatePicker(props: DatePickerProps<Dayjs, false>) {
  const { lang } = useI18n();
  return <AntDatePicker format={pickerFormats(lang, props.picker)} {...props} />;
}
DatePicker.RangePicker = RangePicker;
