// The occupations (职业/工种) a vocational skill certificate names, with English names for the English
// pages. Source of the Chinese names: the national classification of occupations, 《中华人民共和国职业
// 分类大典（2022年版）》 (MOHRSS, 2022), as the certificate register writes them; it has no English
// edition, so the English names are this project's. A name not listed (the register's own spelling of
// another occupation) reads as written in both languages.
import type { Words } from '../core/bilingual.ts';

const OCCUPATIONS: Readonly<Record<string, string>> = {
  电工: 'Electrician',
  焊工: 'Welder',
  车工: 'Lathe operator',
  钳工: 'Fitter',
  育婴员: 'Infant care worker',
  保育师: 'Nursery care worker',
  家政服务员: 'Domestic service worker',
  养老护理员: 'Elderly care worker',
  中式烹调师: 'Chinese cuisine cook',
  中式面点师: 'Chinese pastry cook',
  西式烹调师: 'Western cuisine cook',
  西式面点师: 'Western pastry cook',
  茶艺师: 'Tea specialist',
  汽车维修工: 'Motor vehicle mechanic',
  美容师: 'Beautician',
  美发师: 'Hairdresser',
  保安员: 'Security guard',
  电子商务师: 'E-commerce specialist',
  健康管理师: 'Health manager',
  互联网营销师: 'Internet marketing specialist',
};

/** An occupation as the register writes it, in the reader's language. */
export function occupationName(written: string, lang: keyof Words): string {
  return lang === 'en' ? (OCCUPATIONS[written.trim()] ?? written) : written;
}
