import type { TFunction } from '../../platform/i18n.js';
import { VERBS } from './verbs.js';

// Statements in plain words, in the viewer's language: "completed 'Etiquette' with 85%".
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN = new Set([
  'launched',
  'initialized',
  'attempted',
  'experienced',
  'progressed',
  'answered',
  'completed',
  'passed',
  'failed',
  'terminated',
  'suspended',
  'resumed',
  'scored',
  'satisfied',
  'waived',
  'abandoned',
  'earned',
  'interacted',
]);

function langMap(v: unknown, lang: string): string | undefined {
  if (!isObj(v)) return undefined;
  const exact = v[lang] ?? Object.entries(v).find(([k]) => k.toLowerCase().startsWith(lang))?.[1];
  const any = exact ?? v['en'] ?? v['en-US'] ?? Object.values(v)[0];
  return typeof any === 'string' ? any : undefined;
}

// a formatter costs far more to make than to use: one per language and unit, kept (an export formats thousands)
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(lang: string, unit: 'second' | 'minute' | 'hour' | 'percent'): Intl.NumberFormat {
  const key = `${lang} ${unit}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(
      lang,
      unit === 'percent'
        ? { style: 'percent', maximumFractionDigits: 0 }
        : { style: 'unit', unit, unitDisplay: 'short' },
    );
    formatters.set(key, f);
  }
  return f;
}

export function formatDuration(ms: number, lang: string): string {
  const min = Math.round(ms / 60_000);
  if (min < 1) return formatter(lang, 'second').format(Math.round(ms / 1000));
  if (min < 60) return formatter(lang, 'minute').format(min);
  const hours = formatter(lang, 'hour').format(Math.floor(min / 60));
  const rest = min % 60;
  return rest ? `${hours} ${formatter(lang, 'minute').format(rest)}` : hours;
}

export const percent = (score: number | null | undefined, lang: string) =>
  score === null || score === undefined ? '' : formatter(lang, 'percent').format(score);

function isoDurationMs(d: unknown): number | null {
  if (typeof d !== 'string') return null;
  const m =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(d);
  if (!m) return null;
  const [, D, H, M, S] = m.map((x) => Number(x ?? 0));
  return (((D! * 24 + H!) * 60 + M!) * 60 + S!) * 1000;
}

export function scoreOf(result: unknown): number | null {
  if (!isObj(result) || !isObj(result.score)) return null;
  const s = result.score;
  if (typeof s.scaled === 'number') return s.scaled;
  if (typeof s.raw === 'number' && typeof s.max === 'number') {
    const min = typeof s.min === 'number' ? s.min : 0;
    return s.max > min ? (s.raw - min) / (s.max - min) : null;
  }
  return null;
}

export interface TimelineEntry {
  at: string;
  verb: string;
  text: string;
}

/** What describe() needs of i18n: a sentence by its key, with its values. */
export type Translate = (key: string, values?: Record<string, string>) => string;

/**
 * t() with its sentences kept: a long timeline says the same few thousands of times over, and each t() call
 * costs tens of microseconds. At most `max` are kept, so memory stays bounded.
 */
export function rememberingT(t: TFunction, max = 5000): Translate {
  const kept = new Map<string, string>();
  return (key, values) => {
    const k = values ? `${key} ${JSON.stringify(values)}` : key;
    let sentence = kept.get(k);
    if (sentence === undefined) {
      sentence = String(t(key, values));
      if (kept.size >= max) kept.clear();
      kept.set(k, sentence);
    }
    return sentence;
  };
}

/** One statement as a sentence; `titles` names the course's items by IRI. */
export function describe(s: Obj, t: Translate, lang: string, titles: Map<string, string>): TimelineEntry {
  const verb = isObj(s.verb) ? s.verb : {};
  const verbId = typeof verb.id === 'string' ? verb.id : '';
  const key = verbId.split(/[/#]/).pop() ?? '';
  const o = isObj(s.object) ? s.object : {};
  const id = typeof o.id === 'string' ? o.id : '';
  const name = titles.get(id) ?? langMap(isObj(o.definition) ? o.definition.name : undefined, lang) ?? id;
  let text = KNOWN.has(key)
    ? t(`progress:timeline.verbs.${key}`, { object: name })
    : t('progress:timeline.verbs.other', { verb: langMap(verb.display, lang) ?? key, object: name });
  const r = isObj(s.result) ? s.result : {};
  const score = scoreOf(r);
  if (score !== null) text += ' ' + t('progress:timeline.withScore', { score: percent(score, lang) });
  if (key === 'answered' && typeof r.response === 'string' && r.response)
    text +=
      ' ' +
      t('progress:timeline.response', {
        response: r.response.length > 80 ? r.response.slice(0, 79) + '…' : r.response,
      });
  if (key === 'answered' && typeof r.success === 'boolean')
    text += ' ' + t(r.success ? 'progress:timeline.correct' : 'progress:timeline.incorrect');
  const ms = isoDurationMs(r.duration);
  if (ms !== null && ms > 0)
    text += ' ' + t('progress:timeline.after', { duration: formatDuration(ms, lang) });
  return { at: String(s.timestamp ?? s.stored ?? ''), verb: key, text };
}

export interface Attempt {
  activityId: string;
  title: string;
  number: number;
  startedAt: string;
  lastAt: string;
  status: 'in_progress' | 'completed' | 'passed' | 'failed';
  score: number | null;
  timeMs: number;
  /** durations of completing statements, the time of content that never ends a session */
  completedMs: number;
  sessions: boolean;
}

/**
 * Every attempt at every item, from the registration's statements in stored order (oldest first), fed in
 * batches: an attempt starts with `initialized` or `attempted` on the item, or with its first statement (e.g.
 * `launched`) which the `initialized` that follows then begins; child statements belong to it. `take()` hands
 * over, in the order they started, the attempts that can no longer change (a later attempt at their item has
 * started), so only open attempts stay in memory between batches. An item that `decides` its activity (a
 * package as a whole) has no attempts of its own: the activity's row shows it.
 */
export function attemptTracker(
  items: { iri: string; title: string; activity_id: string; decides?: boolean }[],
) {
  const sorted = items.filter((i) => !i.decides).sort((a, b) => b.iri.length - a.iri.length);
  const open = new Map<string, Attempt>();
  const begun = new WeakSet<Attempt>();
  const counts = new Map<string, number>();
  let pending: Attempt[] = [];
  const done = (a: Attempt): Attempt => (a.sessions ? a : { ...a, timeMs: a.completedMs });
  const openNow = new Set<Attempt>();
  return {
    add(statements: Obj[]): void {
      for (const s of statements) {
        const o = isObj(s.object) ? s.object : {};
        const id = typeof o.id === 'string' ? o.id : '';
        const item = sorted.find((i) => id.startsWith(i.iri));
        if (!item) continue;
        const verb = isObj(s.verb) && typeof s.verb.id === 'string' ? s.verb.id : '';
        const own = id === item.iri;
        const at = String(s.timestamp ?? '');
        let a = open.get(item.iri);
        const begins = own && (verb === VERBS.initialized || verb === VERBS.attempted);
        if (a && begins && !begun.has(a)) begun.add(a);
        else if (!a || begins) {
          const n = (counts.get(item.iri) ?? 0) + 1;
          counts.set(item.iri, n);
          if (a) openNow.delete(a);
          a = {
            activityId: item.activity_id,
            title: item.title,
            number: n,
            startedAt: at,
            lastAt: at,
            status: 'in_progress',
            score: null,
            timeMs: 0,
            completedMs: 0,
            sessions: false,
          };
          open.set(item.iri, a);
          if (begins) begun.add(a);
          openNow.add(a);
          pending.push(a);
        }
        a.lastAt = at;
        if (!own) continue;
        const r = isObj(s.result) ? s.result : {};
        const score = scoreOf(r);
        if (score !== null) a.score = score;
        if (verb === VERBS.passed || r.success === true) a.status = 'passed';
        else if (verb === VERBS.failed || r.success === false)
          a.status = a.status === 'passed' ? 'passed' : 'failed';
        else if ((verb === VERBS.completed || r.completion === true) && a.status === 'in_progress')
          a.status = 'completed';
        const ms = isoDurationMs(r.duration);
        if (verb === VERBS.terminated || verb === VERBS.suspended) {
          a.sessions = true;
          a.timeMs += ms ?? 0;
        } else if (ms && (verb === VERBS.completed || verb === VERBS.passed || r.completion === true))
          a.completedMs += ms;
      }
    },
    /** The final attempts not handed over yet, up to the first still open; all of them once `end` is true. */
    take(end = false): Attempt[] {
      const n = end ? pending.length : pending.findIndex((a) => openNow.has(a));
      const ready = pending.slice(0, n < 0 ? pending.length : n);
      pending = pending.slice(ready.length);
      return ready.map(done);
    },
  };
}

/** Every attempt of a registration whose statements (oldest first) are all at hand. */
export function attemptsOf(
  statements: Obj[],
  items: { iri: string; title: string; activity_id: string }[],
): Attempt[] {
  const tracker = attemptTracker(items);
  tracker.add(statements);
  return tracker.take(true);
}
