import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import type { TFunction } from '../../platform/i18n.js';
import { paged, type Column, type ExportTable } from './export.js';
import type { LearnerListQuery, ReportFilters } from './progress.schemas.js';
import * as repo from './reports.repo.js';
import type { courseReport, drillDown, learnerInCourse } from './reports.service.js';
import { attemptsOf, describe } from './timeline.js';

// Every table of the report pages as an export: the same figures, with a header row in the viewer's language.
const col = (key: string, label: string, type: Column['type'] = 'text'): Column => ({ key, label: `progress:${label}`, type });
const once = <T>(rows: T[]): AsyncIterable<T[]> =>
  (async function* () {
    yield rows;
  })();

const LEARNER_COLUMNS = [
  col('name', 'columns.learner'),
  col('email', 'columns.email'),
  col('status_label', 'columns.status'),
  col('progress_pct', 'columns.progress', 'number'),
  col('score', 'columns.scorePct', 'percent'),
  col('time_ms', 'columns.timeMin', 'minutes'),
  col('attempts', 'columns.attempts', 'number'),
  col('last_at', 'columns.lastActivity', 'date'),
  col('completed_at', 'columns.completedAt', 'date'),
  col('enrolled_at', 'columns.enrolledAt', 'date'),
];

export const COURSE_TABLES = ['summary', 'activities', 'funnel', 'scores', 'days', 'learners'] as const;
export const LEARNER_TABLES = ['activities', 'attempts', 'timeline'] as const;

export function courseExport(
  db: Db,
  course: { id: string; slug: string },
  table: string,
  f: LearnerListQuery,
  report: () => ReturnType<typeof courseReport>,
  t: TFunction,
): ExportTable {
  const name = `${course.slug}-${table}`;
  const status = (s: string) => t(`progress:status.${s}`);
  const lazy = <T>(make: () => Promise<T[]>): AsyncIterable<T[]> =>
    (async function* () {
      yield await make();
    })();
  switch (table) {
    case 'learners':
      return {
        name,
        columns: LEARNER_COLUMNS,
        rows: (async function* () {
          for await (const rows of paged((limit, offset) =>
            repo.learnerList(db, course.id, f, { sort: f.sort, dir: f.dir, limit, offset }).then((r) => r.rows),
          ))
            yield rows.map((r) => ({ ...r, status_label: status(r.status) }));
        })(),
      };
    case 'summary':
      return {
        name,
        columns: [col('measure', 'columns.measure'), col('value', 'columns.value', 'number')],
        rows: lazy(async () => {
          const s = (await report()).summary;
          return [
            { measure: t('progress:summary.enrolled'), value: s.enrolled },
            { measure: t('progress:summary.notStarted'), value: s.notStarted },
            { measure: t('progress:summary.inProgress'), value: s.inProgress },
            { measure: t('progress:summary.completed'), value: s.completed },
            { measure: t('progress:summary.passed'), value: s.passed },
            { measure: t('progress:summary.failed'), value: s.failed },
            { measure: t('progress:summary.averageScorePct'), value: s.averageScore === null ? null : Math.round(s.averageScore * 1000) / 10 },
            { measure: t('progress:summary.medianScorePct'), value: s.medianScore === null ? null : Math.round(s.medianScore * 1000) / 10 },
            { measure: t('progress:summary.medianTimeMin'), value: s.medianTimeMs === null ? null : Math.round(s.medianTimeMs / 600) / 100 },
          ];
        }),
      };
    case 'activities':
      return {
        name,
        columns: [
          col('title', 'columns.activity'),
          col('started', 'summary.started', 'number'),
          col('completed', 'summary.completed', 'number'),
          col('passed', 'summary.passed', 'number'),
          col('failed', 'summary.failed', 'number'),
          col('averageScore', 'summary.averageScorePct', 'percent'),
        ],
        rows: lazy(async () => (await report()).breakdown as unknown as Record<string, unknown>[]),
      };
    case 'funnel':
      return {
        name,
        columns: [col('label', 'columns.stage'), col('value', 'columns.learners', 'number')],
        rows: lazy(async () => (await report()).funnel as unknown as Record<string, unknown>[]),
      };
    case 'scores':
      return {
        name,
        columns: [col('label', 'columns.scoreRange'), col('value', 'columns.learners', 'number')],
        rows: lazy(async () => (await report()).scoreBars as unknown as Record<string, unknown>[]),
      };
    case 'days':
      return {
        name,
        columns: [col('day', 'columns.day'), col('learners', 'columns.activeLearners', 'number'), col('statements', 'columns.statements', 'number')],
        rows: lazy(async () => (await report()).days as unknown as Record<string, unknown>[]),
      };
    default:
      throw new NotFound('page');
  }
}

export function learnerExport(
  db: Db,
  found: Awaited<ReturnType<typeof learnerInCourse>>,
  table: string,
  detail: () => ReturnType<typeof drillDown>,
  t: TFunction,
  lang: string,
): ExportTable {
  const name = `${found.course.slug}-${found.learner.name}-${table}`;
  const status = (s: string) => t(`progress:status.${s}`);
  switch (table) {
    case 'activities':
      return {
        name,
        columns: [
          col('title', 'columns.activity'),
          col('status_label', 'columns.status'),
          col('score', 'columns.scorePct', 'percent'),
          col('time_ms', 'columns.timeMin', 'minutes'),
          col('attempts', 'columns.attempts', 'number'),
          col('last_at', 'columns.lastActivity', 'date'),
        ],
        rows: (async function* () {
          yield (await detail()).activities.map((a) => ({ ...a, status_label: status(a.status) }));
        })(),
      };
    case 'attempts':
      return {
        name,
        columns: [
          col('title', 'columns.activity'),
          col('number', 'columns.attempt', 'number'),
          col('startedAt', 'columns.started', 'date'),
          col('lastAt', 'columns.lastActivity', 'date'),
          col('status_label', 'columns.status'),
          col('score', 'columns.scorePct', 'percent'),
          col('timeMs', 'columns.timeMin', 'minutes'),
        ],
        rows: (async function* () {
          const items = await repo.courseItems(db, found.course.id);
          const all = await repo.statementsOfRegistration(db, found.enrolment.registration, { limit: 100_000, ascending: true });
          yield attemptsOf(all.map((s) => s.statement), items).map((a) => ({ ...a, status_label: status(a.status) }));
        })(),
      };
    case 'timeline':
      return {
        name,
        columns: [col('at', 'columns.when', 'date'), col('text', 'columns.what')],
        rows: (async function* () {
          const titles = new Map((await repo.courseItems(db, found.course.id)).map((i) => [i.iri, i.title]));
          let after = 0;
          for (;;) {
            const page = await repo.statementsOfRegistration(db, found.enrolment.registration, { limit: 1000, ascending: true, beforeSeq: after });
            if (!page.length) return;
            yield page.map((s) => ({ ...describe(s.statement, t, lang, titles) }));
            after = page.at(-1)!.seq;
            if (page.length < 1000) return;
          }
        })(),
      };
    default:
      throw new NotFound('page');
  }
}

export function learnerCoursesExport(
  learner: { name: string },
  courses: repo.EnrolmentProgress[],
  t: TFunction,
): ExportTable {
  return {
    name: `${learner.name}-courses`,
    columns: [
      col('course_title', 'columns.course'),
      col('status_label', 'columns.status'),
      col('progress_pct', 'columns.progress', 'number'),
      col('score', 'columns.scorePct', 'percent'),
      col('time_ms', 'columns.timeMin', 'minutes'),
      col('attempts', 'columns.attempts', 'number'),
      col('last_at', 'columns.lastActivity', 'date'),
      col('completed_at', 'columns.completedAt', 'date'),
    ],
    rows: once(courses.map((c) => ({ ...c, status_label: t(`progress:status.${c.status}`) }))),
  };
}

export type { ReportFilters };
