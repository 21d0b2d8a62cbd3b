// The contribution capability's one service for the routes, the command line, the approval kinds
// and other capabilities: it joins the services of its seams — declarations, residents' tiers,
// assessment, bills, payments — and adds no logic of its own. Each seam keeps its SQL in its
// repository and its journal postings in contribution-posting.repository.ts.
import type { ParamStore } from '../core/params.ts';
import type { Db } from '../db/connection.ts';
import { AssessmentService } from './assessment.service.ts';
import { BillService } from './bill.service.ts';
import { DeclarationService } from './declaration.service.ts';
import { HeldReceiptService } from './held-receipt.service.ts';
import { PaymentService } from './payment.service.ts';
import { ResidentTierService } from './resident-tier.service.ts';

// What other capabilities import from contributions, kept here so their imports need not know the seams.
export type { DeclarationChange, DeclareResult } from './declaration.service.ts';
export type { AmountDue } from './bill.repository.ts';

export class ContributionService {
  readonly declarations: DeclarationService;
  readonly residentTiers: ResidentTierService;
  readonly assessments: AssessmentService;
  readonly bills: BillService;
  readonly payments: PaymentService;
  readonly heldReceipts: HeldReceiptService;

  readonly declare: DeclarationService['declare'];
  readonly declareCsv: DeclarationService['declareCsv'];
  readonly declarationHistory: DeclarationService['declarationHistory'];
  readonly declareFlexible: DeclarationService['declareFlexible'];
  readonly chooseResidentTier: ResidentTierService['chooseResidentTier'];
  readonly assess: AssessmentService['assess'];
  readonly getBill: BillService['getBill'];
  readonly listBills: BillService['listBills'];
  readonly arrears: BillService['arrears'];
  readonly cancelBill: BillService['cancelBill'];
  readonly pay: PaymentService['pay'];
  readonly importReceipts: PaymentService['importReceipts'];
  readonly reversePayment: PaymentService['reversePayment'];

  constructor(db: Db, params: ParamStore) {
    const d = (this.declarations = new DeclarationService(db, params));
    const t = (this.residentTiers = new ResidentTierService(db, params));
    const a = (this.assessments = new AssessmentService(db, params));
    const b = (this.bills = new BillService(db, params));
    const p = (this.payments = new PaymentService(db, params));
    this.heldReceipts = new HeldReceiptService(db, params);
    this.declare = d.declare.bind(d);
    this.declareCsv = d.declareCsv.bind(d);
    this.declarationHistory = d.declarationHistory.bind(d);
    this.declareFlexible = d.declareFlexible.bind(d);
    this.chooseResidentTier = t.chooseResidentTier.bind(t);
    this.assess = a.assess.bind(a);
    this.getBill = b.getBill.bind(b);
    this.listBills = b.listBills.bind(b);
    this.arrears = b.arrears.bind(b);
    this.cancelBill = b.cancelBill.bind(b);
    this.pay = p.pay.bind(p);
    this.importReceipts = p.importReceipts.bind(p);
    this.reversePayment = p.reversePayment.bind(p);
  }
}
