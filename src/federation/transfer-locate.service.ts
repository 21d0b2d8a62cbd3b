// At the national exchange: a province applying for a transfer asks which other provinces hold
// segments of the person (by keyed hash of the ID number; the exchange never sees the number), and
// gets the index's rows back. The applying province chooses the old place from them, so the old
// place is never taken from the applicant (a citizen cannot point a transfer at a province of their
// choosing). Only a province of the federation may ask, and only for itself.
import { Trace } from '../core/trace.ts';
import { enqueue, type Handler } from './fed.messaging.ts';
import { NationalService } from './national.service.ts';
import { indexSegments, pensionPaymentPlace } from './transfer.rules.ts';

export class LocateService {
  /** The exchange's answers to a province locating a person's segments and place of payment. */
  static handlers(provinces: readonly string[]): Record<string, Handler> {
    return {
      'index.locate': async (tx, env) => {
        const b = env.body as { ref?: unknown; idHash?: unknown };
        if (!provinces.includes(env.from)) return;
        if (typeof b.ref !== 'string' || typeof b.idHash !== 'string' || !/^[0-9a-f]{64}$/.test(b.idHash))
          return;
        const rows = await new NationalService(tx).indexLookup(b.idHash);
        await enqueue(tx, env.from, 'index.located', {
          ref: b.ref,
          provinces: rows.filter((r) => r.province.trim() !== env.from),
        });
      },
      // The place of payment at retirement (66号 Art. 6) from the index: the provinces in the order of
      // their last month, the one holding the relation last (as national.service.ts paymentPlace).
      'payment.place': async (tx, env) => {
        const b = env.body as { ref?: unknown; idHash?: unknown; hukou?: unknown };
        if (!provinces.includes(env.from)) return;
        if (
          typeof b.ref !== 'string' ||
          typeof b.idHash !== 'string' ||
          !/^[0-9a-f]{64}$/.test(b.idHash) ||
          typeof b.hukou !== 'string' ||
          !/^[1-8]\d0000$/.test(b.hukou)
        )
          return;
        const rows = await new NationalService(tx).indexLookup(b.idHash);
        const segments = indexSegments(rows);
        const place = pensionPaymentPlace(b.hukou, segments, new Trace());
        // Each segment's last month goes with it: the place tells a second stint from months it has.
        const last = new Map(rows.map((r) => [r.province.trim(), r.lastPeriod]));
        await enqueue(tx, env.from, 'payment.placed', {
          ref: b.ref,
          ...place,
          segments: segments.map((s) => ({ ...s, lastPeriod: last.get(s.province) ?? null })),
        });
      },
    };
  }
}
