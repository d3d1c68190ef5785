import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import type { TFunction } from '../../platform/i18n.js';
import { activitiesOfEnrolment, courseItems, statementBatches } from './drill-down.repo.js';
import type { Column, ExportTable } from './export.js';
import { learnerBatches } from './learner-list.repo.js';
import type { LearnerListQuery } from './progress.schemas.js';
import type { EnrolmentProgress } from './reports.repo.js';
import type { courseReport, learnerInCourse } from './reports.service.js';
import { attemptTracker, describe, rememberingT } from './timeline.js';

// Every table of the report pages as an export: the same figures, in the page's order, with a header row in
// the viewer's language. Long tables (learners, attempts, timeline) are read `batch` rows at a time.

export interface ExportContext {
  db: Db;
  t: TFunction;
  lang: string;
  /** rows read from the database at a time (tests make it small to cross batch boundaries) */
  batch?: number;
}
const BATCH = 1000;

const col = (key: string, label: string, type: Column['type'] = 'text'): Column => ({
  key,
  label: `progress:${label}`,
  type,
});
const STATUS = col('status_label', 'columns.status');
const PROGRESS = col('progress_pct', 'columns.progress', 'number');
const SCORE = col('score', 'columns.scorePct', 'percent');
/** time, attempts and last activity: every progress table ends its figures with these */
const EFFORT = [
  col('time_ms', 'columns.timeMin', 'minutes'),
  col('attempts', 'columns.attempts', 'number'),
  col('last_at', 'columns.lastActivity', 'date'),
];
const COMPLETED_AT = col('completed_at', 'columns.completedAt', 'date');

/** Rows with their status in words, in the viewer's language. */
const labelled = <T extends { status: string }>(rows: T[], t: TFunction) =>
  rows.map((r) => ({ ...r, status_label: t(`progress:status.${r.status}`) }));
/** A short table: read in one go when the export is written. */
const single = (make: () => Promise<readonly object[]>): AsyncIterable<readonly object[]> =>
  (async function* () {
    yield await make();
  })();

export const COURSE_TABLES = ['summary', 'activities', 'funnel', 'scores', 'days', 'learners'] as const;
export const LEARNER_TABLES = ['activities', 'attempts', 'timeline'] as const;

export function courseExport(
  x: ExportContext,
  course: { id: string; slug: string },
  table: string,
  f: LearnerListQuery,
  report: () => ReturnType<typeof courseReport>,
): ExportTable {
  const { db, t } = x;
  const name = `${course.slug}-${t(`progress:exportNames.${table}`)}`;
  // the funnel and score charts: a label and a number of learners per bar
  const chart = (
    label: string,
    rows: (r: Awaited<ReturnType<typeof courseReport>>) => readonly object[],
  ) => ({
    name,
    columns: [col('label', label), col('value', 'columns.learners', 'number')],
    rows: single(async () => rows(await report())),
  });
  switch (table) {
    case 'learners':
      return {
        name,
        columns: [
          col('name', 'columns.learner'),
          col('email', 'columns.email'),
          STATUS,
          PROGRESS,
          SCORE,
          ...EFFORT,
          COMPLETED_AT,
          col('enrolled_at', 'columns.enrolledAt', 'date'),
        ],
        rows: (async function* () {
          const order = { sort: f.sort, dir: f.dir, batch: x.batch ?? BATCH };
          for await (const rows of learnerBatches(db, course.id, f, order)) yield labelled(rows, t);
        })(),
      };
    case 'summary':
      return {
        name,
        columns: [col('measure', 'columns.measure'), col('value', 'columns.value', 'number')],
        rows: single(async () => {
          const s = (await report()).summary;
          const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
          const line = (key: string, value: number | null) => ({
            measure: t(`progress:summary.${key}`),
            value,
          });
          return [
            line('enrolled', s.enrolled),
            line('notStarted', s.notStarted),
            line('inProgress', s.inProgress),
            line('completed', s.completed),
            line('passed', s.passed),
            line('failed', s.failed),
            line('averageScorePct', pct(s.averageScore)),
            line('medianScorePct', pct(s.medianScore)),
            line('medianTimeMin', s.medianTimeMs === null ? null : Math.round(s.medianTimeMs / 600) / 100),
          ];
        }),
      };
    case 'activities':
      return {
        name,
        columns: [
          col('title', 'columns.activity'),
          ...(['started', 'completed', 'passed', 'failed'] as const).map((k) =>
            col(k, `summary.${k}`, 'number'),
          ),
          col('averageScore', 'summary.averageScorePct', 'percent'),
        ],
        rows: single(async () => (await report()).breakdown),
      };
    case 'funnel':
      return chart('columns.stage', (r) => r.funnel);
    case 'scores':
      return chart('columns.scoreRange', (r) => r.scoreBars);
    case 'days':
      return {
        name,
        columns: [
          col('day', 'columns.day'),
          col('learners', 'columns.activeLearners', 'number'),
          col('statements', 'columns.statements', 'number'),
        ],
        rows: single(async () => (await report()).days),
      };
    default:
      throw new NotFound('page');
  }
}

export function learnerExport(
  x: ExportContext,
  found: Awaited<ReturnType<typeof learnerInCourse>>,
  table: string,
): ExportTable {
  const { db, t, lang } = x;
  const { course, enrolment } = found;
  const name = `${course.slug}-${found.learner.name}-${t(`progress:exportNames.${table}`)}`;
  const batch = x.batch ?? BATCH;
  switch (table) {
    case 'activities':
      return {
        name,
        columns: [col('title', 'columns.activity'), STATUS, SCORE, ...EFFORT],
        rows: single(async () =>
          labelled(await activitiesOfEnrolment(db, enrolment.enrolment_id, course.id), t),
        ),
      };
    case 'attempts':
      return {
        name,
        columns: [
          col('title', 'columns.activity'),
          col('number', 'columns.attempt', 'number'),
          col('startedAt', 'columns.started', 'date'),
          col('lastAt', 'columns.lastActivity', 'date'),
          STATUS,
          SCORE,
          col('timeMs', 'columns.timeMin', 'minutes'),
        ],
        rows: (async function* () {
          // attempts are built from the statements oldest first; each is written once no later one can change it
          const tracker = attemptTracker(await courseItems(db, course.id));
          for await (const rows of statementBatches(db, enrolment.registration, {
            batch,
            oldestFirst: true,
          })) {
            tracker.add(rows.map((s) => s.statement));
            const ready = tracker.take();
            if (ready.length) yield labelled(ready, t);
          }
          yield labelled(tracker.take(true), t);
        })(),
      };
    case 'timeline':
      return {
        name,
        columns: [col('at', 'columns.when', 'date'), col('text', 'columns.what')],
        rows: (async function* () {
          const titles = new Map((await courseItems(db, course.id)).map((i) => [i.iri, i.title]));
          const say = rememberingT(t);
          // newest first, as the page shows it
          for await (const rows of statementBatches(db, enrolment.registration, { batch }))
            yield rows.map((s) => describe(s.statement, say, lang, titles));
        })(),
      };
    default:
      throw new NotFound('page');
  }
}

export function learnerCoursesExport(
  t: TFunction,
  learner: { name: string },
  courses: EnrolmentProgress[],
): ExportTable {
  return {
    name: `${learner.name}-${t('progress:exportNames.courses')}`,
    columns: [col('course_title', 'columns.course'), STATUS, PROGRESS, SCORE, ...EFFORT, COMPLETED_AT],
    rows: single(async () => labelled(courses, t)),
  };
}
