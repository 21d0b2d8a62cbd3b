// The `id-number` and `credit-code` rules: GB 11643 and GB 32100 check characters.
import type { RuleDefinition } from '../core/rule.ts';
import { checkCreditCode, checkIdNumber } from '../core/ids.ts';

export const idNumberRule: RuleDefinition<{ idNumber: string }> = {
  name: 'id-number',
  title: { zh: '公民身份号码校验', en: 'Resident ID number check (GB 11643)' },
  parse: (r) => ({ idNumber: r.string('idNumber') }),
  compute({ idNumber }, { trace }) {
    trace.add('input', idNumber.trim(), 'text', '输入');
    const result = checkIdNumber(idNumber);
    if (!result.valid) {
      trace.add('reason', result.reason, 'text', '原因');
      return { valid: false, reason: result.reason, reasonZh: result.reasonZh };
    }
    if (result.converted)
      trace.add(
        '15-digit legacy number: insert "19" after position 6, append the check character',
        result.normalized,
        'text',
        '15位旧号码升位',
      );
    trace.push({
      step: 'check character = "10X98765432"[Σ(digit × 2^(17−i) mod 11) mod 11]',
      stepZh: '校验码',
      value: result.normalized.slice(-1),
      unit: 'text',
      reference: 'GB 11643-1999 公民身份号码',
    });
    return {
      valid: true,
      normalized: result.normalized,
      birthDate: result.birthDate,
      sex: result.sex,
      regionCode: result.regionCode,
    };
  },
};

export const creditCodeRule: RuleDefinition<{ creditCode: string }> = {
  name: 'credit-code',
  title: { zh: '统一社会信用代码校验', en: 'Unified social credit code check (GB 32100)' },
  parse: (r) => ({ creditCode: r.string('creditCode') }),
  compute({ creditCode }, { trace }) {
    const s = creditCode.trim().toUpperCase();
    trace.add('input', s, 'text', '输入');
    const result = checkCreditCode(s);
    if (s.length === 18) {
      trace.push({
        // whether it matches, not the right character (which would complete a made-up code)
        step: 'GB 11714 organisation code check (position 17)',
        stepZh: '组织机构代码校验（第17位）',
        value: result.orgCodeCheckOk ?? false,
        unit: 'boolean',
        reference: 'GB 11714-1997',
      });
    }
    if (!result.valid) {
      trace.add('reason', result.reason, 'text', '原因');
      return { valid: false, reason: result.reason, reasonZh: result.reasonZh };
    }
    trace.push({
      step: 'check character (position 18)',
      stepZh: '校验码（第18位）',
      value: s[17],
      unit: 'text',
      reference: 'GB 32100-2015',
    });
    return { valid: true, normalized: result.normalized };
  },
};
