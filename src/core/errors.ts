// Errors with stable codes. Clients branch on `code`; the message is for the clerk, in Chinese and English.
import type { Words } from './bilingual.ts';

export interface ErrorSpec extends Words {
  status: number;
}

export const ERRORS = {
  SB_ERR_VALIDATION: { status: 400, zh: '输入不正确', en: 'Invalid input' },
  SB_ERR_REQUIRED: { status: 400, zh: '缺少必填项', en: 'A required field is missing' },
  SB_ERR_INVALID_TYPE: { status: 400, zh: '字段类型不正确', en: 'A field has the wrong type' },
  SB_ERR_INVALID_DATE: {
    status: 400,
    zh: '日期不正确，应为 YYYY-MM-DD 的真实日期',
    en: 'Invalid date: expected a real YYYY-MM-DD date',
  },
  SB_ERR_INVALID_PERIOD: {
    status: 400,
    zh: '期间不正确，应为 YYYY-MM',
    en: 'Invalid period: expected YYYY-MM',
  },
  SB_ERR_INVALID_AMOUNT: {
    status: 400,
    zh: '金额不正确，应为以分为单位的整数',
    en: 'Invalid amount: expected an integer number of fen',
  },
  SB_ERR_INVALID_TEXT: {
    status: 400,
    zh: '文本含有不允许的字符（控制字符、方向控制符或零宽字符）',
    en: 'The text contains characters that are not allowed (control, bidi override or zero-width characters)',
  },
  SB_ERR_OUT_OF_RANGE: { status: 400, zh: '数值超出允许范围', en: 'Value out of the allowed range' },
  SB_ERR_INVALID_ID_NUMBER: { status: 400, zh: '公民身份号码不正确', en: 'Invalid resident ID number' },
  SB_ERR_INVALID_CREDIT_CODE: {
    status: 400,
    zh: '统一社会信用代码不正确',
    en: 'Invalid unified social credit code',
  },
  SB_ERR_INVALID_PHONE: {
    status: 400,
    zh: '电话号码不正确，应为11位手机号或带区号的固定电话',
    en: 'Invalid phone number: expected an 11-digit mobile number or a landline with area code',
  },
  SB_ERR_INVALID_BANK_ACCOUNT: {
    status: 400,
    zh: '银行账号不正确，应为12至30位数字',
    en: 'Invalid bank account: expected 12 to 30 digits',
  },
  SB_ERR_INVALID_CARD_BANK_ACCOUNT: {
    status: 400,
    zh: '社保卡银行账号不正确，应为16至19位数字',
    en: 'Invalid card bank account: expected 16 to 19 digits',
  },
  SB_ERR_UNKNOWN_REGION: { status: 400, zh: '未知的行政区划代码', en: 'Unknown region code' },
  SB_ERR_UNKNOWN_RULE: { status: 404, zh: '未知的计算规则', en: 'Unknown calculation rule' },
  SB_ERR_RULE_NOT_IN_FORCE: {
    status: 400,
    zh: '该日期尚无适用的政策规定',
    en: 'No rule is in force on that date',
  },
  SB_ERR_PARAMETER_MISSING: {
    status: 400,
    zh: '缺少参数',
    en: 'Missing parameter',
  },
  SB_ERR_INVALID_PARAMETER_FILE: { status: 500, zh: '政策参数文件有误', en: 'A parameter file is malformed' },
  SB_ERR_INVALID_CONFIG: { status: 500, zh: '配置有误', en: 'Invalid configuration' },
  SB_ERR_NOT_FOUND: { status: 404, zh: '未找到', en: 'Not found' },
  SB_ERR_DUPLICATE: { status: 409, zh: '记录已存在', en: 'The record already exists' },
  SB_ERR_CONFLICT: { status: 409, zh: '状态冲突，请刷新后重试', en: 'Conflict: refresh and try again' },
  SB_ERR_UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in' },
  SB_ERR_BAD_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  SB_ERR_LOCKED: {
    status: 429,
    zh: '登录失败次数过多，请稍后再试',
    en: 'Too many failed logins, try again later',
  },
  SB_ERR_FORBIDDEN: { status: 403, zh: '无权进行此操作', en: 'You are not allowed to do this' },
  SB_ERR_OUT_OF_SCOPE: {
    status: 403,
    zh: '无权查看或办理该对象的业务（不在您的管辖范围内）',
    en: 'This record is outside your remit',
  },
  SB_ERR_FOUR_EYES: {
    status: 403,
    zh: '须由另一人复核（不得为经办人本人、同一人的其他账号或业务当事人）',
    en: 'A second person must check this (not the maker, not the same person under another account, not the person concerned)',
  },
  SB_ERR_INVALID_UPLOAD: {
    status: 400,
    zh: '文件有错误行，未写入任何数据',
    en: 'The file has bad lines; nothing was written',
  },
  SB_ERR_AMOUNT_MISMATCH: {
    status: 409,
    zh: '金额与应缴金额不符',
    en: 'The amount differs from the amount due',
  },
  SB_ERR_NOT_ELIGIBLE: { status: 422, zh: '不符合办理条件', en: 'Not eligible' },
  SB_ERR_LIVENESS_REJECTED: {
    status: 422,
    zh: '人脸识别认证结果未通过核验',
    en: 'The face-check result was refused',
  },
  SB_ERR_CAP_EXCEEDED: {
    status: 422,
    zh: '超过年度缴费上限',
    en: 'The yearly contribution cap would be exceeded',
  },
  SB_ERR_INSUFFICIENT_BALANCE: { status: 422, zh: '账户余额不足', en: 'The account balance is too low' },
  // Issue 10 (data exposure): one answer that reveals nothing; a back-dated hire needs a review.
  SB_ERR_IDENTITY_MISMATCH: {
    status: 422,
    zh: '身份证号码与姓名与登记信息不符',
    en: 'ID number and name do not match our records',
  },
  SB_ERR_BACK_ENTRY_REQUIRED: {
    status: 422,
    zh: '入职日期早于上月，须由经办机构补录并经复核',
    en: 'A start date before last month is a back-entry: filed by the agency with a reason and approved by a reviewer',
  },
  SB_ERR_PARTIAL_ID_NUMBER: {
    status: 400,
    zh: '按身份证号码查询须输入完整号码，或后四位加姓名',
    en: 'Search by ID number takes the whole number, or its last four characters together with the name',
  },
  // keyset paging: the cursor a list gave back (it names the last row shown to this caller)
  SB_ERR_INVALID_CURSOR: {
    status: 400,
    zh: '翻页标记无效，请从第一页重新查询',
    en: 'The page cursor is not valid; start again from the first page',
  },
  // the online service hall (src/hall/)
  SB_ERR_CODE_INVALID: {
    status: 400,
    zh: '验证码错误或已失效，请重新获取',
    en: 'The code is wrong or has expired; request a new one',
  },
  SB_ERR_TOO_MANY_ATTEMPTS: {
    status: 429,
    zh: '尝试次数过多，请稍后再试',
    en: 'Too many attempts, try again later',
  },
  SB_ERR_REGISTRY_MISMATCH: {
    status: 422,
    zh: '所填信息与登记信息不一致，请核对或到经办窗口办理',
    en: 'The details do not match our records; check them or visit a service counter',
  },
  // unemployment claims (src/unemployment/)
  SB_ERR_NO_SEPARATION: {
    status: 409,
    zh: '单位尚未为您办理减员（终止劳动关系）登记，暂不能申领失业保险金',
    en: 'No employer has recorded the end of your employment yet, so there is nothing to claim from',
  },
  SB_ERR_STILL_EMPLOYED: {
    status: 409,
    zh: '您目前仍有在职的劳动关系，不能登记失业',
    en: 'You are currently employed, so you cannot register as unemployed',
  },
  // work injury (src/injury/)
  SB_ERR_INJURY_TOO_LATE: {
    status: 422,
    zh: '已超过工伤认定申请时效（事故发生之日起1年）',
    en: 'The 1-year window for applying for work-injury recognition has passed',
  },
  SB_ERR_UNSUPPORTED_FILE: {
    status: 415,
    zh: '文件类型不支持或与内容不符，仅接受 PDF、JPEG、PNG',
    en: 'Unsupported file type, or the content does not match it; only PDF, JPEG and PNG are accepted',
  },
  // work-injury direct settlement with hospitals (src/injury/hospital*)
  SB_ERR_HOSPITAL_KEY_INVALID: {
    status: 401,
    zh: '医疗机构接口密钥无效或已停用',
    en: 'The hospital API key is unknown or revoked',
  },
  // a card terminal's upload key (src/cards/card-terminal.service.ts): the same words whether or not a
  // terminal exists, so a wrong key tells nothing of the register
  SB_ERR_TERMINAL_KEY_INVALID: {
    status: 401,
    zh: '用卡终端上传密钥无效或已停用',
    en: 'The card terminal’s upload key is unknown or no longer valid',
  },
  SB_ERR_HOSPITAL_CASE_MISMATCH: {
    status: 422,
    zh: '工伤案件编号与患者身份证号码不符',
    en: 'The work-injury case number and the patient’s ID number do not match',
  },
  SB_ERR_HOSPITAL_BILL_CONFLICT: {
    status: 409,
    zh: '该账单号已提交过不同的内容',
    en: 'This bill number was already submitted with different content',
  },
  SB_ERR_BAD_SIGNATURE: {
    status: 401,
    zh: '支付通知签名无效',
    en: 'The payment notice is not signed by the gateway',
  },
  SB_ERR_INTERNAL: {
    status: 500,
    zh: '系统内部错误，请联系管理员',
    en: 'Internal error, please contact the administrator',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
}

export class SbError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  /** `detail` (Chinese / English) is appended to the standard message of the code. */
  constructor(code: ErrorCode, options: { field?: string; zh?: string; en?: string } = {}) {
    const spec = ERRORS[code];
    const zh = options.zh ? `${spec.zh}：${options.zh}` : spec.zh;
    const en = options.en ? `${spec.en}: ${options.en}` : spec.en;
    super(`${zh} / ${en}`);
    this.name = 'SbError';
    this.code = code;
    this.status = spec.status;
    this.field = options.field;
  }

  toBody(): ErrorBody {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export const isSbError = (e: unknown): e is SbError => e instanceof SbError;
