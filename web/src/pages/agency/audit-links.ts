// Where an entry of the audit log (审计日志) links: the page of the record it changed, else the page of
// the person it concerns. Pure (the pages open to the user are given), so a test reads it without a browser.
import type { AuditItem } from '../../api.ts';

/** The page a record of each type opens on (its pattern in PAGES), the record's id as :id. */
export const RECORD_PAGES: Partial<Record<string, string>> = {
  person: '/agency/persons/:id',
  employer: '/agency/employers/:id',
  contribution_bill: '/agency/bills/:id',
  // a payment's own page (缴费到账记录): its bank line, the bills it paid and its history; it links its bills
  contribution_payment: '/agency/receipts/:id',
  approval: '/agency/approvals/:id',
  retirement_case: '/agency/retirement/:id',
  hall_application: '/agency/applications/:id',
  hall_home_visit: '/agency/home-service/:id',
  injury_case: '/agency/injury/:id',
  supervision_case: '/agency/supervision/cases/:id',
  supervision_campaign: '/agency/supervision/campaigns/:id',
  fed_transfer: '/agency/transfers/:id',
  fed_collection: '/agency/collections/:id',
  fed_xp_request: '/agency/cross-province/:id',
};

/**
 * The path an audit entry links to: its record's own page, else the page of the person it concerns (a
 * card); null when neither opens for this user. `opens`: whether the page of a pattern is open to the
 * user's role on this node.
 */
export function auditEntryPath(
  a: Pick<AuditItem, 'entityType' | 'entityId' | 'subjectName' | 'subjectPersonId'>,
  opens: (pattern: string) => boolean,
): string | null {
  const path = (type: string, id: string | null): string | null => {
    const pattern = RECORD_PAGES[type];
    return pattern && opens(pattern) && id && /^\d+$/.test(id) ? pattern.replace(':id', id) : null;
  };
  return (
    path(a.entityType, a.entityId) ??
    (a.subjectName && a.subjectPersonId !== null ? path('person', String(a.subjectPersonId)) : null)
  );
}
