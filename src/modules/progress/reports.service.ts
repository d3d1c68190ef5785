import type { Db } from '../../platform/db.js';
import { NotFound } from '../../platform/errors.js';
import type { SessionUser } from '../../platform/http/types.js';
import type { TFunction } from '../../platform/i18n.js';
import { findUserById, isUuid } from '../accounts/index.js';
import { findCourseById } from '../courses/index.js';
import { listGroups } from '../groups/index.js';
import { columns, horizontalBars } from './charts.js';
import * as policy from './progress.policy.js';
import type { ReportFilters } from './progress.schemas.js';
import { activityBreakdown, activityByDay, courseSummary, scoreDistribution } from './course-report.repo.js';
import { activitiesOfEnrolment, courseItems, statementsOfRegistration } from './drill-down.repo.js';
import { learnerCourses, learnerEnrolment } from './reports.repo.js';
import { attemptsOf, describe, formatDuration, percent } from './timeline.js';

/** The course, if this viewer may read its report; 404 otherwise (they must not learn it exists). */
export async function reportableCourse(db: Db, viewer: SessionUser, courseId: string) {
  const course = isUuid(courseId) ? await findCourseById(db, courseId) : undefined;
  if (!course || !policy.mayReportCourse(viewer, course)) throw new NotFound('course');
  return course;
}

const today = () => new Date().toISOString().slice(0, 10);
const daysBefore = (d: string, n: number) => {
  const x = new Date(d + 'T00:00:00Z');
  x.setUTCDate(x.getUTCDate() - n);
  return x.toISOString().slice(0, 10);
};

/** The activity chart's window: the filter's dates, else the last 60 days; at most 366 days. */
export function chartRange(f: ReportFilters): { from: string; to: string } {
  const to = f.to ?? today();
  let from = f.from ?? daysBefore(to, 59);
  if (from > to) from = to;
  if (daysBefore(to, 365) > from) from = daysBefore(to, 365);
  return { from, to };
}

export async function courseReport(db: Db, courseId: string, f: ReportFilters, t: TFunction, lang: string) {
  const [summary, distribution, breakdown, days, groups] = await Promise.all([
    courseSummary(db, courseId, f),
    scoreDistribution(db, courseId, f),
    activityBreakdown(db, courseId, f),
    activityByDay(db, courseId, f, chartRange(f)),
    listGroups(db),
  ]);
  const share = (n: number) =>
    summary.enrolled
      ? ` (${new Intl.NumberFormat(lang, { style: 'percent' }).format(n / summary.enrolled)})`
      : '';
  const funnel = [
    { label: t('progress:summary.enrolled'), value: summary.enrolled },
    { label: t('progress:summary.started'), value: summary.enrolled - summary.notStarted },
    { label: t('progress:summary.completed'), value: summary.completed },
    { label: t('progress:summary.passed'), value: summary.passed },
  ].map((b) => ({ ...b, shown: `${b.value}${share(b.value)}` }));
  const scoreBars = distribution.map((n, i) => ({
    label: i === 9 ? '90–100 %' : `${i * 10}–${i * 10 + 9} %`,
    value: n,
    shown: String(n),
  }));
  const dayBars = days.map((d) => ({
    label: d.day,
    value: d.learners,
    shown: `${d.learners} / ${d.statements}`,
  }));
  return {
    summary,
    breakdown,
    funnel,
    scoreBars,
    days,
    groups: groups.map((g) => ({ id: g.id, name: g.name, kind: g.kind })),
    charts: {
      funnel: horizontalBars({
        id: 'chart-funnel',
        title: t('progress:charts.funnel'),
        desc: funnel.map((b) => `${b.label}: ${b.shown}`).join('; '),
        bars: funnel,
        varyPatterns: true,
      }),
      scores: horizontalBars({
        id: 'chart-scores',
        title: t('progress:charts.scores'),
        desc: scoreBars.map((b) => `${b.label}: ${b.shown}`).join('; '),
        bars: scoreBars,
      }),
      days: columns({
        id: 'chart-days',
        title: t('progress:charts.activity'),
        desc: t('progress:charts.activityDesc', {
          from: days[0]?.day ?? '',
          to: days.at(-1)?.day ?? '',
          total: days.reduce((s, d) => s + d.statements, 0),
        }),
        bars: dayBars,
        labelEvery: Math.max(1, Math.ceil(days.length / 12)),
        axisLabel: t('progress:charts.learnersAxis'),
      }),
    },
  };
}

/** One learner in one course: the viewer must report on the course, or be that learner. */
export async function learnerInCourse(db: Db, viewer: SessionUser, courseId: string, userId: string) {
  const course = isUuid(courseId) ? await findCourseById(db, courseId) : undefined;
  if (!course || !isUuid(userId) || !policy.mayViewLearnerInCourse(viewer, course, userId))
    throw new NotFound('learner');
  const [learner, enrolment] = await Promise.all([
    findUserById(db, userId),
    learnerEnrolment(db, course.id, userId),
  ]);
  if (!learner || !enrolment) throw new NotFound('learner');
  return { course, learner, enrolment };
}

export async function drillDown(
  db: Db,
  found: Awaited<ReturnType<typeof learnerInCourse>>,
  t: TFunction,
  lang: string,
) {
  const { course, enrolment } = found;
  const [activities, items, recent, all] = await Promise.all([
    activitiesOfEnrolment(db, enrolment.enrolment_id, course.id),
    courseItems(db, course.id),
    statementsOfRegistration(db, enrolment.registration, { limit: 200 }),
    // the page's attempts: from the first 5,000 statements (the attempts export reads them all)
    statementsOfRegistration(db, enrolment.registration, { limit: 5000, oldestFirst: true }),
  ]);
  const titles = new Map(items.map((i) => [i.iri, i.title]));
  return {
    activities,
    attempts: attemptsOf(
      all.map((s) => s.statement),
      items,
    ),
    timeline: recent.map((s) => describe(s.statement, t, lang, titles)),
    timelineTruncated: recent.length === 200,
    fmt: {
      duration: (ms: number) => (ms > 0 ? formatDuration(ms, lang) : '—'),
      percent: (s: number | null) => percent(s, lang) || '—',
    },
  };
}

/** A learner's courses: all of them for coordinators and the learner; a trainer's own courses only. */
export async function learnerReport(db: Db, viewer: SessionUser, userId: string) {
  const learner = isUuid(userId) ? await findUserById(db, userId) : undefined;
  if (!learner) throw new NotFound('learner');
  const self = viewer.id === learner.id;
  if (!self && !policy.mayOpenReports(viewer)) throw new NotFound('learner');
  const ownerId = self || policy.mayReportAll(viewer) ? undefined : viewer.id;
  const courses = await learnerCourses(db, learner.id, ownerId);
  if (!self && !courses.length && ownerId) throw new NotFound('learner');
  return { learner, courses, self };
}
