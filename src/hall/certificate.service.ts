// Certificates (参保证明, 权益记录单) as PDF with the CJK font embedded, the region's name, the date,
// a verification code and a QR code pointing at the public verification page. What the
// certificate stated (names and ID numbers masked) and the SHA-256 of the PDF bytes are stored, so
// /verify/{code} shows the statement and a changed PDF does not match.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policy.ts';
import { today } from '../core/clock.ts';
import { dateInWords, monthInWords } from '../core/dates.ts';
import { SbError } from '../core/errors.ts';
import { maskIdNumber } from '../core/ids.ts';
import { formatMoney } from '../core/money.ts';
import { regionName as nameOfRegion } from '../core/regions.ts';
import { ContributionService } from '../contributions/contribution.service.ts';
import { RecordService, type PersonRecord } from '../contributions/record.service.ts';
import { EnrolmentService } from '../registry/enrolment.service.ts';
import { PersonService } from '../registry/person.service.ts';
import { ApplicationService } from './application.service.ts';
import { serviceByCode } from './catalogue.ts';
import { renderCertificate } from './certificate.pdf.ts';
import { maskName, sha256Hex } from './certificate-support.ts';
import { certificateByCode, insertCertificate } from './certificate.repository.ts';
import { matchedPaymentsOfBill } from '../contributions/payment.repository.ts';
import { employerNames, findEmployer } from '../registry/employer.repository.ts';
import { findPerson } from '../registry/person.repository.ts';

const SCHEMES: Record<string, [string, string]> = {
  employee_pension: ['企业职工基本养老保险', 'Employee basic pension'],
  resident_pension: ['城乡居民基本养老保险', 'Resident basic pension'],
  unemployment: ['失业保险', 'Unemployment insurance'],
  injury: ['工伤保险', 'Work-injury insurance'],
};
const STATUS: Record<string, [string, string]> = {
  active: ['正常参保', 'active'],
  suspended: ['暂停', 'suspended'],
  ended: ['终止', 'ended'],
};

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 16 characters from 32 (80 bits), grouped by four: not guessable, easy to type. */
function newVerificationCode(): string {
  const b = randomBytes(16);
  let s = '';
  for (let i = 0; i < 16; i++) s += ALPHABET[(b[i] ?? 0) % 32];
  return s.match(/.{4}/g)?.join('-') ?? s;
}

export interface IssuedCertificate {
  pdf: Uint8Array;
  code: string;
  sha256: string;
}

export interface Verification {
  valid: true;
  code: string;
  kind: 'insurance' | 'record' | 'receipt';
  issuedOn: string;
  region: string;
  regionName: string;
  statement: unknown;
  pdfSha256: string;
  pdfMatches?: boolean;
}

/**
 * A month or day in words in both languages, as the labels beside it are: "2025年4月 / Apr 2025";
 * in a table cell on two lines ("2025年4月\nApr 2025"), which the PDF draws one under the other.
 */
const bothLanguages = (
  inWords: (s: string, lang: 'zh' | 'en') => string,
  iso: string,
  between: ' / ' | '\n' = ' / ',
): string => `${inWords(iso, 'zh')}${between}${inWords(iso, 'en')}`;

/** The record's mark on a year row: months credited from another province, or moved out to one. */
function yearNote(y: PersonRecord['years'][number]): string {
  if (y.movedOut) return `已转出至${nameOfRegion(y.movedOut.toProvince)}`;
  if (y.credited?.kind === 'bridging') return '制度衔接转入';
  if (y.credited) return y.credited.fromProvince ? `自${nameOfRegion(y.credited.fromProvince)}转入` : '转入';
  return '';
}

export class CertificateService {
  constructor(private readonly ctx: AppContext) {}

  async issue(
    actor: Actor,
    personId: number,
    kind: 'insurance' | 'record',
    verifyBase: string,
  ): Promise<IssuedCertificate> {
    authorize(actor, 'certificate.issue');
    const person = await new PersonService(this.ctx.db).get(actor, personId);
    authorize(actor, 'certificate.issue', { personId, region: person.region });
    const regionName = nameOfRegion(person.region);
    const issuedOn = today();
    const code = newVerificationCode();
    const issuer = `${regionName}社会保险经办机构`;
    const verifyUrl = `${verifyBase.replace(/\/$/, '')}/verify/${code}`;
    const fields: Array<[string, string]> = [
      ['姓名 Name', person.name],
      ['公民身份号码 ID number', person.idNumber],
      ['参保地 Insured in', `${regionName}（${person.region}）`],
    ];
    let statement: Record<string, unknown>;
    let layout: Parameters<typeof renderCertificate>[0];
    if (kind === 'insurance') {
      const enrolments = await new EnrolmentService(this.ctx.db, this.ctx.params).list(actor, personId);
      const employerIds = [
        ...new Set(enrolments.map((e) => e.employerId).filter((x): x is number => x !== null)),
      ];
      const employers = await employerNames(this.ctx.db, employerIds);
      const rows = enrolments.map((e) => ({
        scheme: SCHEMES[e.scheme]?.[0] ?? e.scheme,
        schemeEn: SCHEMES[e.scheme]?.[1] ?? e.scheme,
        status: STATUS[e.status]?.[0] ?? e.status,
        statusEn: STATUS[e.status]?.[1] ?? e.status,
        startDate: e.startDate,
        endDate: e.endDate,
        employer:
          (e.employerId === null ? undefined : employers.get(e.employerId)) ??
          (e.kind === 'flexible' ? '灵活就业' : '—'),
      }));
      statement = {
        titleZh: '社会保险参保证明',
        name: maskName(person.name),
        idNumber: maskIdNumber(person.idNumber),
        region: person.region,
        regionName,
        enrolments: rows,
        issuedOn,
        issuer,
      };
      layout = {
        titleZh: '社会保险参保证明',
        titleEn: 'Certificate of social insurance participation',
        fields,
        table: {
          head: ['险种\nScheme', '状态\nStatus', '起始日期\nFrom', '终止日期\nUntil', '缴费单位\nEmployer'],
          widths: [140, 62, 80, 80, 122],
          // the days in words in both languages (they were 2021-09-01)
          rows: rows.map((r) => [
            `${r.scheme}\n${r.schemeEn}`,
            `${r.status}\n${r.statusEn}`,
            bothLanguages(dateInWords, r.startDate, '\n'),
            r.endDate ? bothLanguages(dateInWords, r.endDate, '\n') : '—',
            r.employer,
          ]),
        },
        paragraphs: [
          `兹证明上述人员在${regionName}参加社会保险，参保情况如上表所列（截至${dateInWords(issuedOn, 'zh')}）。`,
          `This certifies that the person above is insured as listed, as of ${dateInWords(issuedOn, 'en')}.`,
        ],
        issuer,
        issuedOn,
        verificationCode: code,
        verifyUrl,
      };
    } else {
      const record = await new RecordService(this.ctx.db, this.ctx.params).personRecord(actor, personId);
      const years = record.years.slice(-20);
      statement = {
        titleZh: '个人权益记录单',
        name: maskName(person.name),
        idNumber: maskIdNumber(person.idNumber),
        region: person.region,
        regionName,
        totals: record.totals,
        personalAccount: record.personalAccount,
        years: years.map((y) => ({
          year: y.year,
          scheme: y.scheme,
          pensionMonths: y.pensionMonths,
          closingBalanceFen: y.closingBalanceFen,
          note: yearNote(y),
        })),
        issuedOn,
        issuer,
      };
      layout = {
        titleZh: '社会保险个人权益记录单',
        titleEn: 'Statement of personal social insurance rights',
        fields: [
          ...fields,
          ['养老缴费月数 Pension months', String(record.totals.employeePensionMonths)],
          [
            '个人账户 Account',
            formatMoney(
              record.personalAccount.employeePensionFen + record.personalAccount.residentPensionFen,
            ),
          ],
        ],
        table: {
          head: [
            '年度\nYear',
            '养老月数\nPension',
            '失业月数\nUnempl.',
            '工伤月数\nInjury',
            '年末账户余额\nBalance',
            '备注\nNote',
          ],
          widths: [60, 60, 60, 60, 110, 130],
          rows: years.map((y) => [
            String(y.year),
            String(y.pensionMonths),
            String(y.unemploymentMonths),
            String(y.injuryMonths),
            formatMoney(y.closingBalanceFen),
            yearNote(y),
          ]),
        },
        paragraphs: [
          `以上为截至${dateInWords(issuedOn, 'zh')}的个人权益记录。Rights recorded as of ${dateInWords(issuedOn, 'en')}.`,
        ],
        issuer,
        issuedOn,
        verificationCode: code,
        verifyUrl,
      };
    }
    const pdf = await renderCertificate(layout);
    const sha256 = sha256Hex(pdf);
    const service = serviceByCode(kind === 'insurance' ? 'insurance-certificate' : 'record-statement');
    await this.ctx.db.transaction().execute(async (tx) => {
      await insertCertificate(tx, {
        code,
        kind,
        person_id: personId,
        region: person.region,
        issued_on: issuedOn,
        content: JSON.stringify(statement),
        pdf_sha256: sha256,
        issued_by: actor.username,
      });
      // A certificate printed is an application completed at once (the access statistics count it).
      if (service)
        await ApplicationService.create(tx, actor, {
          service,
          personId,
          employerId: null,
          region: person.region,
          channel: actor.role === 'citizen' ? 'online' : 'counter',
          status: 'completed',
          detail: { certificate: code },
        });
    });
    return { pdf, code, sha256 };
  }

  /**
   * A paid bill's payment receipt (缴费凭证): for the payer (the employer for its bills, the citizen
   * for their own) or staff of the bill's region (at the counter). Access as for reading the bill;
   * a bill that is not paid has no receipt (409).
   */
  async receipt(actor: Actor, billId: number, verifyBase: string): Promise<IssuedCertificate> {
    const { bill } = await new ContributionService(this.ctx.db, this.ctx.params).getBill(actor, billId);
    if (bill.status !== 'paid')
      throw new SbError('SB_ERR_CONFLICT', {
        field: 'billId',
        zh: '账单尚未缴清，无缴费凭证',
        en: 'the bill is not paid; there is no receipt',
      });
    const payments = await matchedPaymentsOfBill(this.ctx.db, billId);
    let payerName = '';
    let payerId = '';
    let payerIdMasked = '';
    if (bill.employerId !== null) {
      const e = await findEmployer(this.ctx.db, bill.employerId);
      if (!e) throw new SbError('SB_ERR_NOT_FOUND', { field: 'billId' });
      payerName = e.name;
      payerId = e.credit_code;
      payerIdMasked = e.credit_code; // a unified social credit code is public
    } else if (bill.personId !== null) {
      const p = await findPerson(this.ctx.db, bill.personId);
      if (!p) throw new SbError('SB_ERR_NOT_FOUND', { field: 'billId' });
      payerName = p.name;
      payerId = p.id_number;
      payerIdMasked = maskIdNumber(p.id_number);
    }
    const regionName = nameOfRegion(bill.region);
    const issuedOn = today();
    const code = newVerificationCode();
    const issuer = `${regionName}社会保险经办机构`;
    const verifyUrl = `${verifyBase.replace(/\/$/, '')}/verify/${code}`;
    const paidFen = payments.reduce((a, p) => a + Number(p.amount_fen), 0);
    const lateFen = payments.reduce((a, p) => a + Number(p.late_fee_fen), 0);
    const KIND: Record<string, string> = {
      employer: '单位缴费',
      flexible: '灵活就业人员缴费',
      resident: '城乡居民缴费',
    };
    const schemes: Array<[string, number]> = [
      ['养老保险（单位）', bill.pensionEmployerFen],
      ['养老保险（个人）', bill.pensionEmployeeFen],
      ['失业保险（单位）', bill.unemploymentEmployerFen],
      ['失业保险（个人）', bill.unemploymentEmployeeFen],
      ['工伤保险', bill.injuryFen],
      ['政府补贴', bill.subsidyFen],
      ['减免', -bill.waivedFen],
    ];
    const statement = {
      titleZh: '社会保险费缴费凭证',
      billId: bill.id,
      period: bill.period,
      payerKind: bill.payerKind,
      payerName: bill.employerId !== null ? payerName : maskName(payerName),
      payerId: payerIdMasked,
      region: bill.region,
      regionName,
      totalFen: bill.totalFen,
      lateFeeFen: lateFen,
      paidFen,
      paidDate: bill.paidDate,
      payments: payments.map((p) => ({
        id: Number(p.id),
        amountFen: Number(p.amount_fen),
        paidDate: p.paid_date,
      })),
      issuedOn,
      issuer,
    };
    const pdf = await renderCertificate({
      titleZh: '社会保险费缴费凭证',
      titleEn: 'Receipt for social insurance contributions',
      fields: [
        ['缴费人 Payer', payerName],
        [bill.employerId !== null ? '统一社会信用代码 Credit code' : '公民身份号码 ID number', payerId],
        ['缴费类型 Kind', KIND[bill.payerKind] ?? bill.payerKind],
        ['费款所属期 Period', bothLanguages(monthInWords, bill.period)],
        ['账单编号 Bill no.', String(bill.id)],
        ['参保地 Region', `${regionName}（${bill.region}）`],
        ['缴费日期 Paid on', bill.paidDate ? bothLanguages(dateInWords, bill.paidDate) : '—'],
        ['实缴金额 Paid', formatMoney(paidFen)],
      ],
      table: {
        head: ['项目 Item', '金额 Amount'],
        widths: [300, 184],
        rows: [
          ...schemes.filter(([, f]) => f !== 0).map(([k, f]) => [k, formatMoney(f)]),
          ['应缴合计 Contributions', formatMoney(bill.totalFen)],
          ...(lateFen ? [['滞纳金 Late fee', formatMoney(lateFen)]] : []),
          ['实缴合计 Paid', formatMoney(paidFen)],
        ],
      },
      paragraphs: [
        `兹证明上述社会保险费已足额缴纳（${monthInWords(bill.period, 'zh')}，账单 ${bill.id}）。`,
        `This certifies that the contributions above for ${monthInWords(bill.period, 'en')} were paid in full.`,
      ],
      issuer,
      issuedOn,
      verificationCode: code,
      verifyUrl,
    });
    const sha256 = sha256Hex(pdf);
    await insertCertificate(this.ctx.db, {
      code,
      kind: 'receipt',
      person_id: bill.personId,
      region: bill.region,
      issued_on: issuedOn,
      content: JSON.stringify(statement),
      pdf_sha256: sha256,
      issued_by: actor.username,
    });
    return { pdf, code, sha256 };
  }

  /** Public: what the certificate stated; with the SHA-256 of a PDF, whether it is the one issued. */
  async verify(code: string, pdfSha256?: string): Promise<Verification> {
    const norm = code.trim().toUpperCase();
    const row = await certificateByCode(this.ctx.db, norm);
    if (!row)
      throw new SbError('SB_ERR_NOT_FOUND', {
        field: 'code',
        zh: '无此验证码的证明，可能是伪造的',
        en: 'no certificate has this code; it may be forged',
      });
    return {
      valid: true,
      code: row.code,
      kind: row.kind,
      issuedOn: row.issued_on,
      region: row.region,
      regionName: nameOfRegion(row.region),
      statement: typeof row.content === 'string' ? JSON.parse(row.content) : row.content,
      pdfSha256: row.pdf_sha256,
      ...(pdfSha256 === undefined ? {} : { pdfMatches: pdfSha256.toLowerCase() === row.pdf_sha256 }),
    };
  }
}
