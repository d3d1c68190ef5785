import { z } from 'zod';
import type { DocChange, Json, JsonObject } from './doc-patch.js';

// What the player on the content origin sends to /scorm/runtime (text/plain JSON, no cookie, no preflight).

const jsonObject = z.custom<JsonObject>((v) => typeof v === 'object' && v !== null && !Array.isArray(v));

const DocChangeSchema = z
  .strictObject({
    full: jsonObject.optional(),
    set: z
      .record(
        z.string().max(2000),
        z.custom<Json>(() => true),
      )
      .optional(),
    del: z.array(z.string().max(2000)).max(100_000).optional(),
  })
  .transform((c): DocChange => c);

const Status = z.strictObject({
  completion: z.enum(['unknown', 'incomplete', 'completed']).catch('unknown'),
  success: z.enum(['unknown', 'failed', 'passed']).catch('unknown'),
  /** the order (q) of the last commit of this SCO the player sent before it read this tracking */
  after: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .optional(),
});
export type Tracked = z.infer<typeof Status>;

/** The most parts a request may come in (each a beacon of at most 64 KiB). */
export const MAX_PARTS = 16;

export const RuntimeRequest = z.strictObject({
  /** The session token the LMS page handed to the player. */
  t: z.string().min(20).max(200),
  /** The order of this request within its session (1, 2, …). */
  q: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  op: z.enum(['deliver', 'initialize', 'commit', 'state', 'end', 'part']),
  /** op = part: one piece of a request too large for one beacon (its JSON text, cut in `n` pieces). */
  part: z
    .strictObject({
      i: z
        .number()
        .int()
        .min(0)
        .max(MAX_PARTS - 1),
      n: z.number().int().min(2).max(MAX_PARTS),
      data: z.string().max(65_536),
    })
    .refine((p) => p.i < p.n)
    .optional(),
  sco: z.string().min(1).max(1000).optional(),
  /** A terminating commit (Terminate / LMSFinish). */
  end: z.boolean().optional(),
  /** The SCO's CMI data (`{ cmi: … }`), whole or as a patch of what changed since the last acknowledged one. */
  cmi: DocChangeSchema.optional(),
  /** SCORM 2004: the sequencing state of the attempt (scorm-again's serialized state), whole or as a patch. */
  seq: DocChangeSchema.optional(),
  /** SCORM 2004: status of activities as the sequencer tracks them (e.g. a SCO that never reports). */
  tracking: z.record(z.string().max(1000), Status).optional(),
  /** SCORM 2004: the sequencer's rollup of the package's root activity (score: its normalized measure). */
  root: z
    .strictObject({
      completion: Status.shape.completion,
      success: Status.shape.success,
      score: z.number().min(-1).max(1).optional().catch(undefined),
    })
    .optional(),
  /** Why the sequencing session ended (`suspend_all`, `exit_all`…) or `suspend` / `exit` for SCORM 1.2. */
  reason: z.string().max(40).optional(),
});
export type RuntimeRequest = z.infer<typeof RuntimeRequest>;

export interface RuntimeResponse {
  result: boolean;
  errorCode: number;
  /** deliver: the CMI data the SCO starts with. */
  cmi?: JsonObject;
  entry?: string;
}
