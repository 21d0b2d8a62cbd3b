// What the server knows of the logged-in citizen that decides which of the citizen's pages are theirs:
// drawing a pension, employed, ever enrolled as a flexible worker or in the residents' pension, ever
// claimed unemployment benefit. Read once a session from the person's own records (the reads their
// pages make, nobody else's); the server still refuses what does not apply, this only keeps a
// retiree from being offered a job-seeker's pages, and says why when one is opened by its address.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, itemsOf } from './api.ts';
import { useAuth } from './auth.tsx';
import type { MessageKey } from './i18n/index.tsx';
import { unemploymentApi } from './pages/unemployment/unemployment-api.ts';

export interface Situation {
  /** an award in payment or suspended (a suspended one is restored by certification) */
  pensioner: boolean;
  /** an open employment: the employer enrols the person */
  employed: boolean;
  /** a flexible-worker enrolment, open or ended (its bills may still be open) */
  flexible: boolean;
  /** a residents' pension enrolment, open or ended */
  resident: boolean;
  /** an unemployment claim, whatever its state */
  claimed: boolean;
}

/** Why a page does not apply to the person, and the page to go to instead. */
export interface Unfit {
  why: MessageKey;
  go: string;
}

async function readSituation(personId: number): Promise<Situation> {
  const [pension, enrolments, employments, claims] = await Promise.all([
    api.pension(personId),
    api.personEnrolments(personId),
    api.personEmployments(personId),
    unemploymentApi.claims({ pageSize: 1 }),
  ]);
  const enrolled = itemsOf(enrolments);
  return {
    pensioner: pension.awards.some((a) => a.status !== 'stopped'),
    employed: employments.some((e) => e.endDate === null),
    flexible: enrolled.some((e) => e.kind === 'flexible'),
    resident: enrolled.some((e) => e.scheme === 'resident_pension'),
    claimed: claims.total > 0,
  };
}

export interface SituationState {
  /** null while it is read, for staff and employers, and when the read failed (then every page is offered) */
  situation: Situation | null;
  /** true until the citizen's situation is read (or its read failed) */
  reading: boolean;
  /** read again after a change the person made (a flexible-worker enrolment) */
  reload: () => void;
}

const SituationContext = createContext<SituationState>({ situation: null, reading: false, reload: () => {} });

export function SituationProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const personId = user?.role === 'citizen' ? user.personId : null;
  // kept with the person it was read for: another citizen's login never sees the last one's menu
  const [read, setRead] = useState<{ personId: number; situation: Situation | null } | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (personId === null) return;
    let live = true;
    readSituation(personId)
      .then((s) => live && setRead({ personId, situation: s }))
      .catch((e: unknown) => {
        console.warn(e);
        if (live) setRead({ personId, situation: null });
      });
    return () => {
      live = false;
    };
  }, [personId, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  const mine = personId !== null && read?.personId === personId ? read : null;
  const value = useMemo(
    () => ({ situation: mine?.situation ?? null, reading: personId !== null && mine === null, reload }),
    [mine, personId, reload],
  );
  return <SituationContext.Provider value={value}>{children}</SituationContext.Provider>;
}

export const useSituation = (): SituationState => useContext(SituationContext);
