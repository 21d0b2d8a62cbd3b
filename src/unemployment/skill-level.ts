// The names of the national vocational skill levels (职业技能等级), one per level for the server's
// notes and the portals' pages alike: the certificate list said 4级 beside a note saying 四级.
import type { Words } from '../core/bilingual.ts';
const LEVELS: Record<number, Words> = {
  1: { zh: '一级/高级技师', en: 'Level 1 (senior technician)' },
  2: { zh: '二级/技师', en: 'Level 2 (technician)' },
  3: { zh: '三级/高级工', en: 'Level 3 (senior worker)' },
  4: { zh: '四级/中级工', en: 'Level 4 (intermediate worker)' },
  5: { zh: '五级/初级工', en: 'Level 5 (junior worker)' },
};

/** A certificate's level in words, in the reader's language; a level outside 1–5 as its number. */
export function skillLevelName(level: number, lang: 'zh' | 'en'): string {
  return LEVELS[level]?.[lang] ?? (lang === 'zh' ? `${level}级` : `Level ${level}`);
}
