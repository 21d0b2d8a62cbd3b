// The fields of an audit entry's "before" and "after" in words: a supervisor reads 手机号码 138… → 139…,
// not phone, and ¥1,234.56 on 2026年11月1日, not 123456 on 2026-11-01. What was stored stays as it was
// written (it is in the hash chain); the words are derived when an entry is read, for the page and the
// CSV export alike, so the catalogue lives here once and the page only shows what it is sent.
//
// One catalogue for every record type: a key means the same on a bill as on a claim (status is 状态,
// amountFen an amount), and a writer's snake_case column (amount_fen) reads as its camelCase twin. Where a
// key's values are codes, the field names the code list per record type (injury_case's status is
// injury.status, a bill's is bill.status); the lists' words come from the assembly
// (src/audit-code-words.ts) as the audit sits below the capabilities that own them.
//
// Technical fields (the row's version, ids, hashes, a job's chunking) have words too, but are shown last
// and marked: a supervisor tracing a conflict or a record still needs them, so they are not hidden.
// A key without words is still shown, as written (src/demo/demo-seed.db.test.ts fails on one).
import type { Words } from '../core/bilingual.ts';
import { dateInWords, isIsoDate, monthInWords } from '../core/dates.ts';
import { formatMoney } from '../core/money-text.ts';

interface FieldWords extends Words {
  /** shown last and marked: ids, versions, hashes, a job's bookkeeping */
  technical?: true;
  /** the values are a code list's codes (`<list>.<code>` in the words), the same on every record type or per type */
  list?: string | Readonly<Record<string, string>>;
  /** a number that is a percentage */
  percent?: true;
  /** amounts in fen though the key does not end in Fen (a record of amounts) */
  fen?: true;
}

const tech = (zh: string, en: string): FieldWords => ({ zh, en, technical: true });

/** Every field an audit entry's before/after carries, by its camelCase key. */
export const AUDIT_FIELDS: Readonly<Record<string, FieldWords>> = {
  accepted: { zh: '已受理', en: 'Accepted' },
  acceptedFen: { zh: '核准金额', en: 'Amount accepted' },
  accountBalanceFen: { zh: '个人账户余额', en: 'Personal account balance' },
  accountFen: { zh: '个人账户金额', en: 'Personal account amount' },
  action: { zh: '处理', en: 'Action' },
  actor: { zh: '操作人', en: 'Operator' },
  address: { zh: '地址', en: 'Address' },
  advanced: { zh: '先行支付', en: 'Advanced by the fund' },
  amountAtRiskFen: { zh: '涉及金额', en: 'Amount at risk' },
  amountFen: { zh: '金额', en: 'Amount' },
  approvalId: tech('审批编号', 'Approval ID'),
  arrearsFen: { zh: '补发金额', en: 'Arrears' },
  askedOf: { zh: '请求对象', en: 'Asked of' },
  asOf: { zh: '截至日期', en: 'As of' },
  assessmentId: tech('核定编号', 'Assessment ID'),
  assignedTo: { zh: '经办人', en: 'Assigned to' },
  awarded: { zh: '核定人数', en: 'Awarded' },
  awardId: tech('待遇编号', 'Award ID'),
  backPayment: { zh: '补缴', en: 'Back payment' },
  balanceFen: { zh: '余额', en: 'Balance' },
  bankAccount: { zh: '银行账号', en: 'Bank account' },
  bankName: { zh: '开户银行', en: 'Bank' },
  bankRef: { zh: '银行流水号', en: 'Bank reference' },
  baseFen: { zh: '缴费基数', en: 'Contribution base' },
  benefitFen: { zh: '失业保险金', en: 'Unemployment benefit' },
  billId: tech('账单编号', 'Bill ID'),
  billLateFeeFen: { zh: '账单滞纳金', en: 'Bill late fee' },
  billNo: { zh: '单据号', en: 'Bill number' },
  billPaidDate: { zh: '账单缴费日期', en: 'Bill paid on' },
  bills: { zh: '账单数', en: 'Bills' },
  billStatus: { zh: '账单状态', en: 'Bill status' },
  birthDate: { zh: '出生日期', en: 'Date of birth' },
  bookedFor: { zh: '预约人', en: 'Booked for' },
  bridgingRef: { zh: '制度衔接编号', en: 'Scheme bridging reference' },
  byFund: { zh: '各险种金额', en: 'By fund', fen: true },
  cameThrough: { zh: '经由', en: 'Came through' },
  candidates: { zh: '候选人数', en: 'Candidates' },
  capFen: { zh: '上限金额', en: 'Cap' },
  cardIds: tech('社保卡编号', 'Card IDs'),
  cards: { zh: '社保卡数', en: 'Cards' },
  carried: { zh: '结转', en: 'Carried over' },
  carriedOn: { zh: '结转日期', en: 'Carried over on' },
  caseId: tech('案件编号', 'Case ID'),
  caseIds: tech('案件编号', 'Case IDs'),
  categories: { zh: '类别', en: 'Categories' },
  certificateNo: { zh: '证书编号', en: 'Certificate number' },
  certificationId: tech('认证编号', 'Certification ID'),
  certifiedOn: { zh: '认证日期', en: 'Certified on' },
  changes: { zh: '变更内容', en: 'Changes' },
  channel: { zh: '渠道', en: 'Channel' },
  chunks: tech('批次数', 'Chunks'),
  chunksDone: tech('已完成批次', 'Chunks done'),
  chunkSize: tech('每批条数', 'Chunk size'),
  city: { zh: '城市', en: 'City' },
  claimedFen: { zh: '申报金额', en: 'Amount claimed' },
  claimId: tech('申领编号', 'Claim ID'),
  collectionId: tech('归集编号', 'Collection ID'),
  contactPhone: { zh: '联系电话', en: 'Contact phone' },
  contentHash: tech('内容校验值', 'Content hash'),
  contributionFen: { zh: '缴费金额', en: 'Contributions' },
  contributionMonths: { zh: '缴费月数', en: 'Contribution months' },
  count: { zh: '数量', en: 'Count' },
  createdAt: tech('创建时间', 'Created at'),
  creditCode: { zh: '统一社会信用代码', en: 'Credit code' },
  cutoff: { zh: '截止日期', en: 'Cut-off' },
  deadline: { zh: '期限', en: 'Deadline' },
  deathDate: { zh: '死亡日期', en: 'Date of death' },
  decision: { zh: '决定', en: 'Decision' },
  decisionId: tech('决定编号', 'Decision ID'),
  detector: { zh: '疑点规则', en: 'Detector', list: 'supervision.detector' },
  detectors: { zh: '疑点规则', en: 'Detectors', list: 'supervision.detector' },
  direction: { zh: '衔接方向', en: 'Direction' },
  disabled: { zh: '已停用', en: 'Disabled' },
  displayName: { zh: '姓名', en: 'Name' },
  eligible: { zh: '符合条件', en: 'Eligible' },
  employeeMonths: { zh: '职工缴费月数', en: 'Employee months' },
  employerId: tech('单位编号', 'Employer ID'),
  employerInsured: { zh: '单位已参保', en: 'Employer insured' },
  employers: { zh: '单位数', en: 'Employers' },
  employersScanned: { zh: '已核查单位数', en: 'Employers scanned' },
  employmentId: tech('劳动关系编号', 'Employment ID'),
  employments: { zh: '劳动关系数', en: 'Employments' },
  endDate: { zh: '终止日期', en: 'End date' },
  endedEmploymentIds: tech('已终止劳动关系', 'Ended employments'),
  endedEnrolmentIds: tech('已终止参保关系', 'Ended enrolments'),
  endedEnrolments: { zh: '终止参保关系数', en: 'Enrolments ended' },
  endNote: { zh: '终止说明', en: 'End note' },
  endReason: { zh: '终止原因', en: 'End reason', list: 'employment.end' },
  enrolments: { zh: '参保关系数', en: 'Enrolments' },
  entityId: { zh: '记录编号', en: 'Record ID' },
  entityType: { zh: '记录类型', en: 'Record type' },
  error: { zh: '错误', en: 'Error' },
  event: { zh: '事件', en: 'Event' },
  eventDate: { zh: '事件日期', en: 'Event date' },
  evidence: { zh: '证据', en: 'Evidence' },
  filedIn: { zh: '受理地', en: 'Filed in' },
  filename: { zh: '文件名', en: 'File name' },
  filter: { zh: '筛选条件', en: 'Filter' },
  findingId: tech('疑点编号', 'Finding ID'),
  findingStatus: { zh: '疑点状态', en: 'Finding status' },
  findingVersion: tech('疑点版本', 'Finding version'),
  fineFen: { zh: '罚款', en: 'Fine' },
  fineMultiplierPct: { zh: '罚款倍数', en: 'Fine multiple', percent: true },
  firstDueDate: { zh: '首期应还日期', en: 'First due date' },
  firstId: tech('起始编号', 'First ID'),
  flagged: { zh: '标记数', en: 'Flagged' },
  fraud: { zh: '欺诈', en: 'Fraud' },
  from: { zh: '起始日期', en: 'From' },
  fromPeriod: { zh: '起始月份', en: 'From month' },
  fromProvinceHint: { zh: '转出省份（申请人所述）', en: 'From province (as told)' },
  fund: { zh: '基金', en: 'Fund' },
  funeralGrantFen: { zh: '丧葬补助金', en: 'Funeral grant' },
  gatewayRef: { zh: '支付流水号', en: 'Payment reference' },
  governmentPaidFen: { zh: '政府代缴金额', en: 'Paid by the government' },
  grossFen: { zh: '应发金额', en: 'Gross' },
  group: { zh: '类别', en: 'Group' },
  handledBy: { zh: '经办地', en: 'Handled by' },
  hardshipGroup: { zh: '困难群体', en: 'Hardship group' },
  hospitalId: tech('医院编号', 'Hospital ID'),
  hukouRegion: { zh: '户籍地', en: 'Hukou region' },
  hukouRegionNameEn: { zh: '户籍地名称（英文）', en: 'Hukou region (English)' },
  hukouRegionNameZh: { zh: '户籍地名称（中文）', en: 'Hukou region (Chinese)' },
  id: tech('记录编号', 'Record ID'),
  idNumber: { zh: '身份证号码', en: 'ID number' },
  industryClass: { zh: '行业风险类别', en: 'Industry risk class' },
  inserted: { zh: '新增条数', en: 'Inserted' },
  instalments: { zh: '分期期数', en: 'Instalments' },
  interestFen: { zh: '利息', en: 'Interest' },
  journalEntryId: tech('记账凭证编号', 'Journal entry ID'),
  keep: { zh: '保留', en: 'Keep' },
  keyIssuedOn: { zh: '密钥签发日期', en: 'Key issued on' },
  keyPrefix: tech('密钥前缀', 'Key prefix'),
  kind: {
    zh: '类型',
    en: 'Kind',
    list: {
      injury_benefit: 'injury.benefit',
      injury_appraisal: 'injury.appraisal',
      injury_case: 'injury.kind',
      injury_document: 'injury.doc',
    },
  },
  kinds: { zh: '类型', en: 'Kinds' },
  lastPeriod: { zh: '截止月份', en: 'Last month' },
  lateDays: { zh: '逾期天数', en: 'Days late' },
  lateFeeFen: { zh: '滞纳金', en: 'Late fee' },
  lines: { zh: '明细条数', en: 'Lines' },
  locksCleared: { zh: '已解除锁定', en: 'Locks cleared' },
  maker: { zh: '经办人', en: 'Maker' },
  manual: { zh: '人工处理', en: 'Manual' },
  matched: { zh: '已匹配', en: 'Matched' },
  maxMonths: { zh: '最长领取月数', en: 'Maximum months' },
  mediaType: tech('文件类型', 'Media type'),
  medicalFen: { zh: '医疗保险费', en: 'Medical insurance' },
  missingMonths: { zh: '缺缴月数', en: 'Missing months' },
  money: { zh: '金额', en: 'Money' },
  monthly: { zh: '每月', en: 'Monthly' },
  monthlyFen: { zh: '月发放金额', en: 'Monthly amount' },
  monthlyTotalFen: { zh: '月发放总额', en: 'Monthly total' },
  monthlyWageFen: { zh: '月工资', en: 'Monthly wage' },
  months: { zh: '月数', en: 'Months' },
  moved: { zh: '已转移', en: 'Moved' },
  movedFen: { zh: '转移金额', en: 'Amount moved' },
  name: { zh: '名称', en: 'Name' },
  netFen: { zh: '净额', en: 'Net' },
  newFindings: { zh: '新增疑点', en: 'New findings' },
  newTotal: { zh: '新增疑点合计', en: 'New findings in all' },
  note: { zh: '说明', en: 'Note' },
  noteId: tech('记录编号', 'Note ID'),
  nursing: { zh: '护理等级', en: 'Nursing level', list: 'injury.nursing' },
  of: { zh: '对象', en: 'Of' },
  orderNo: { zh: '订单号', en: 'Order number' },
  otherProvince: { zh: '对方省份', en: 'Other province' },
  outcome: { zh: '结果', en: 'Outcome' },
  outcomeOn: { zh: '结果日期', en: 'Outcome on' },
  overpaidFen: { zh: '多领金额', en: 'Overpaid' },
  overpaymentFen: { zh: '多领金额', en: 'Overpayment' },
  paidDate: { zh: '缴费日期', en: 'Paid on' },
  paidOn: { zh: '支付日期', en: 'Paid on' },
  payer: { zh: '支付方', en: 'Payer', list: 'injury.payer' },
  payload: { zh: '内容', en: 'Content' },
  paymentId: tech('到账编号', 'Payment ID'),
  payments: { zh: '发放笔数', en: 'Payments' },
  period: { zh: '月份', en: 'Month' },
  periods: { zh: '月份', en: 'Months' },
  personFen: { zh: '个人缴费金额', en: 'Paid by the person' },
  personId: tech('人员编号', 'Person ID'),
  persons: { zh: '人数', en: 'Persons' },
  phone: { zh: '手机号码', en: 'Phone' },
  place: { zh: '地点', en: 'Place' },
  plan: { zh: '追回计划', en: 'Plan' },
  planKind: { zh: '追回方式', en: 'Plan' },
  pooledFen: { zh: '统筹基金金额', en: 'Pooled fund amount' },
  population: { zh: '检查对象', en: 'Population' },
  preferredDate: { zh: '期望日期', en: 'Preferred date' },
  prefix: tech('密钥前缀', 'Key prefix'),
  provinces: { zh: '省份', en: 'Provinces' },
  qualifying: { zh: '符合条件数', en: 'Qualifying' },
  ratePercent: { zh: '利率', en: 'Rate', percent: true },
  reason: { zh: '原因', en: 'Reason' },
  reasoning: { zh: '理由', en: 'Reasoning' },
  reasonKind: { zh: '原因类别', en: 'Reason kind' },
  recoveredFen: { zh: '已追回金额', en: 'Recovered' },
  recoveryCaseId: tech('追回案件编号', 'Recovery case ID'),
  recoveryCaseIds: tech('追回案件编号', 'Recovery case IDs'),
  ref: { zh: '文号', en: 'Reference' },
  refundedFen: { zh: '已退金额', en: 'Refunded' },
  refundFen: { zh: '退款金额', en: 'Refund' },
  region: { zh: '地区', en: 'Region' },
  regionNameEn: { zh: '地区名称（英文）', en: 'Region (English)' },
  regionNameZh: { zh: '地区名称（中文）', en: 'Region (Chinese)' },
  registeredOn: { zh: '登记日期', en: 'Registered on' },
  regularFen: { zh: '按月发放金额', en: 'Regular payments' },
  remaining: { zh: '剩余', en: 'Remaining' },
  remainingMonths: { zh: '剩余月数', en: 'Months remaining' },
  replaced: tech('被替换密钥', 'Key replaced'),
  replacedBy: tech('替换密钥', 'Replaced by'),
  reporterKind: { zh: '申报人', en: 'Reported by' },
  requestedRole: { zh: '申请角色', en: 'Role asked for' },
  residentMonths: { zh: '城乡居民缴费月数', en: 'Resident months' },
  resultId: tech('结果编号', 'Result ID'),
  resumedFrom: tech('续跑起点', 'Resumed from'),
  retirementDate: { zh: '退休日期', en: 'Retirement date' },
  retry: { zh: '重试', en: 'Retry' },
  returnedReceipt: { zh: '退回到账', en: 'Receipt returned' },
  reviewer: { zh: '复核人', en: 'Reviewer' },
  role: { zh: '角色', en: 'Role' },
  rows: { zh: '行数', en: 'Rows' },
  rule: { zh: '规则', en: 'Rule' },
  runNo: tech('批次号', 'Run number'),
  sampleSize: { zh: '抽样数', en: 'Sample size' },
  scheme: { zh: '险种', en: 'Scheme' },
  score: { zh: '评分', en: 'Score' },
  screened: { zh: '已筛查', en: 'Screened' },
  seed: tech('随机种子', 'Seed'),
  seededAt: tech('生成时间', 'Seeded at'),
  segments: { zh: '缴费分段', en: 'Segments' },
  seq: tech('序号', 'Sequence'),
  service: { zh: '业务', en: 'Service' },
  serviceCode: { zh: '业务事项', en: 'Service' },
  sex: { zh: '性别', en: 'Sex' },
  sha256: tech('文件校验值', 'SHA-256'),
  size: { zh: '规模', en: 'Size' },
  skipped: { zh: '已跳过', en: 'Skipped' },
  startDate: { zh: '开始日期', en: 'Start date' },
  startPeriod: { zh: '起始月份', en: 'First month' },
  status: {
    zh: '状态',
    en: 'Status',
    list: {
      injury_case: 'injury.status',
      injury_benefit: 'injury.benefitStatus',
      contribution_bill: 'bill.status',
      card: 'card.status',
      unemployment_claim: 'unemployment.claimStatus',
    },
  },
  stopFrom: { zh: '停发起始月', en: 'Stopped from' },
  stopped: { zh: '停发数', en: 'Stopped' },
  stoppedAwards: { zh: '停发待遇数', en: 'Awards stopped' },
  stoppedFromPeriod: { zh: '停发起始月', en: 'Stopped from' },
  stopReason: { zh: '停发原因', en: 'Stop reason' },
  subsidyFen: { zh: '政府补贴', en: 'Government subsidy' },
  summary: { zh: '摘要', en: 'Summary' },
  survivorBenefitId: tech('遗属待遇编号', 'Survivor benefit ID'),
  survivorError: { zh: '遗属待遇错误', en: 'Survivor benefit error' },
  survivorPensionFen: { zh: '遗属待遇金额', en: 'Survivor pension' },
  suspended: { zh: '暂停数', en: 'Suspended' },
  suspendedFromPeriod: { zh: '暂停起始月', en: 'Suspended from' },
  taxFen: { zh: '税款', en: 'Tax' },
  tierFen: { zh: '缴费档次', en: 'Contribution tier' },
  to: { zh: '截止日期', en: 'To' },
  toPeriod: { zh: '截止月份', en: 'To month' },
  toProvince: { zh: '转入省份', en: 'To province' },
  toReturnOrOffsetFen: { zh: '待退或抵扣金额', en: 'To return or offset' },
  total: { zh: '合计', en: 'Total' },
  totalFen: { zh: '合计金额', en: 'Total amount' },
  transferId: tech('转移编号', 'Transfer ID'),
  transferRef: { zh: '转移编号', en: 'Transfer reference' },
  truncated: { zh: '已截断', en: 'Truncated' },
  unallocated: { zh: '未分配', en: 'Unallocated' },
  unchanged: { zh: '未变化', en: 'Unchanged' },
  updatedAt: tech('修改时间', 'Updated at'),
  uploadId: tech('上传编号', 'Upload ID'),
  username: { zh: '登录账号', en: 'Username' },
  users: { zh: '用户数', en: 'Users' },
  validFrom: { zh: '有效期起', en: 'Valid from' },
  validTo: { zh: '有效期止', en: 'Valid to' },
  value: { zh: '值', en: 'Value' },
  vendor: { zh: '厂商', en: 'Vendor' },
  version: tech('版本', 'Version'),
  visitDate: { zh: '上门日期', en: 'Visit date' },
  wagesRepair: { zh: '工资补正', en: 'Wages repair' },
  waivedFen: { zh: '减免金额', en: 'Waived' },
  windowStart: { zh: '窗口起始', en: 'Window start' },
  writtenOffFen: { zh: '核销金额', en: 'Written off' },
  year: { zh: '年度', en: 'Year' },
  yearContributedFen: { zh: '年度缴费金额', en: 'Contributed this year' },
};

/** amount_fen, as a table's column is written, reads as amountFen. */
export const fieldKey = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A field's words, or undefined when the catalogue has none (the key is then shown as written). */
export const fieldWords = (key: string): FieldWords | undefined =>
  Object.hasOwn(AUDIT_FIELDS, fieldKey(key)) ? AUDIT_FIELDS[fieldKey(key)] : undefined;

/** One field of an entry: its name and its values before and after, in both languages. */
export interface AuditChange {
  /** the key as written */
  field: string;
  /** null when the catalogue has no words for the key: the page shows the key */
  name: Words | null;
  technical: boolean;
  /** null: the entry has no "before" (a creation, a run) */
  before: Words | null;
  after: Words;
  changed: boolean;
}

/** The words of codes, keyed `<list>.<code>`, in each language (src/audit-code-words.ts). */
export type CodeWords = Readonly<Record<keyof Words, Readonly<Record<string, string>>>>;

const ZONE = 'Asia/Shanghai';
const AGENCY_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE });
const ZH_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: ZONE,
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const EN_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeStyle: 'medium' });
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A moment as the audit page writes its times, in the agency's zone: 2026年12月3日 06:25:01 / 3 Dec 2026, 06:25:01. */
function timeInWords(iso: string, lang: keyof Words): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return lang === 'zh'
    ? ZH_TIME.format(at)
    : `${dateInWords(AGENCY_DAY.format(at), 'en')}, ${EN_TIME.format(at)}`;
}

interface Reading {
  lang: keyof Words;
  entityType: string;
  codes: CodeWords;
}

/** The code list of a field on this record type, if any. */
function listOf(def: FieldWords | undefined, recordType: string): string | undefined {
  const list = def?.list;
  return typeof list === 'string' ? list : list?.[recordType];
}

/** One value in words: money in yuan, days and months and times as the page writes them, codes by their list, yes/no. */
function valueWords(key: string, v: unknown, r: Reading): string {
  const def = fieldWords(key);
  const money = /Fen$/.test(fieldKey(key)) || def?.fen === true;
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return r.lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (money && Number.isSafeInteger(v)) return formatMoney(v);
    return def?.percent ? `${v}%` : String(v);
  }
  if (typeof v === 'string') {
    const list = listOf(def, r.entityType);
    const word = list === undefined ? undefined : r.codes[r.lang][`${list}.${v}`];
    if (word !== undefined) return word;
    if (isIsoDate(v)) return dateInWords(v, r.lang);
    if (MONTH.test(v)) return monthInWords(v, r.lang);
    if (TIMESTAMP.test(v)) return timeInWords(v, r.lang);
    return v;
  }
  if (Array.isArray(v)) return v.map((x) => valueWords(key, x, r)).join(r.lang === 'zh' ? '、' : ', ');
  if (typeof v === 'object')
    // a record inside (a plan, a summary, the amounts by fund): its fields named, its amounts in yuan
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => {
        const name = fieldWords(k)?.[r.lang] ?? k;
        return `${name}: ${valueWords(fieldWords(k) === undefined && money ? key : k, x, r)}`;
      })
      .join(r.lang === 'zh' ? '；' : '; ');
  return typeof v === 'bigint' ? v.toString() : '—';
}

const asRecord = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/**
 * An entry's before and after field by field, in words: the fields in the order written, the technical
 * ones after the others. A before/after that is not a record (a list, a number) is one field, "value".
 */
export function auditChanges(
  entityType: string,
  before: unknown,
  after: unknown,
  codes: CodeWords,
): AuditChange[] {
  const wrap = (v: unknown) => (v === null || v === undefined ? null : (asRecord(v) ?? { value: v }));
  const b = wrap(before);
  const a = wrap(after) ?? {};
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a)])];
  const words = (key: string, v: unknown): Words => ({
    zh: valueWords(key, v, { lang: 'zh', entityType, codes }),
    en: valueWords(key, v, { lang: 'en', entityType, codes }),
  });
  const changes = keys.map((field): AuditChange => {
    const def = fieldWords(field);
    const was = b === null ? null : words(field, b[field]);
    const now = words(field, a[field]);
    return {
      field,
      name: def ? { zh: def.zh, en: def.en } : null,
      technical: def?.technical === true,
      before: was,
      after: now,
      changed: was !== null && (was.zh !== now.zh || was.en !== now.en),
    };
  });
  return [...changes.filter((c) => !c.technical), ...changes.filter((c) => c.technical)];
}
