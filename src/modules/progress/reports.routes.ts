import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../platform/context.js';
import { NotFound } from '../../platform/errors.js';
import { parseForm, withFormErrors } from '../../platform/http/forms.js';
import { requireUser } from '../../platform/http/guards.js';
import { flash } from '../../platform/http/locals.js';
import { sendCsv, sendXlsx, type ExportTable } from './export.js';
import {
  COURSE_TABLES,
  LEARNER_TABLES,
  courseExport,
  learnerCoursesExport,
  learnerExport,
  type ExportContext,
} from './exports.js';
import * as policy from './progress.policy.js';
import { ExportFormat, LearnerListQuery, RuleForm } from './progress.schemas.js';
import { settleCompletions } from './projection.service.js';
import { learnerList } from './learner-list.repo.js';
import { reportCourses } from './report-courses.repo.js';
import * as reports from './reports.service.js';
import { findRule, saveRule } from './rules.repo.js';
import { formatDuration, percent } from './timeline.js';

const PAGE = 50;

/** /reports (trainers, coordinators, admins), a learner's own progress (/my-progress) and completion rules. */
export function reportsRoutes(ctx: AppContext): Router {
  const r = Router();
  const { db } = ctx;
  r.use(['/reports', '/my-progress'], requireUser);

  const send = async (req: Request, res: Response, format: string, table: ExportTable) => {
    const f = ExportFormat.safeParse(format);
    if (!f.success) throw new NotFound('page');
    res.setHeader('Cache-Control', 'private, no-store');
    if (f.data === 'csv') await sendCsv(res, table, req.t, req.lang);
    else await sendXlsx(res, table, req.t);
  };
  const exporting = (req: Request): ExportContext => ({ db, t: req.t, lang: req.lang });
  const fmt = (req: Request) => ({
    duration: (ms: number | null) => (ms && ms > 0 ? formatDuration(ms, req.lang) : '—'),
    percent: (s: number | null) => percent(s, req.lang) || '—',
  });

  r.get('/my-progress', (req, res) => res.redirect(303, `/reports/learners/${req.user!.id}`));

  r.get('/reports', async (req, res) => {
    if (!policy.mayOpenReports(req.user)) return res.redirect(303, `/reports/learners/${req.user!.id}`);
    const page = Math.max(1, Number(req.query.page) || 1);
    const { rows, total } = await reportCourses(db, {
      ownerId: policy.mayReportAll(req.user) ? undefined : req.user!.id,
      limit: PAGE,
      offset: (page - 1) * PAGE,
    });
    res.render('reports/index', {
      title: req.t('progress:index.title'),
      courses: rows,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE)),
      seesAll: policy.mayReportAll(req.user),
      fmt: fmt(req),
    });
  });

  r.get('/reports/courses/:id', async (req, res) => {
    const course = await reports.reportableCourse(db, req.user!, req.params.id);
    const q = LearnerListQuery.parse(req.query);
    const [report, list, rule] = await Promise.all([
      reports.courseReport(db, course.id, q, req.t, req.lang),
      learnerList(db, course.id, q, { sort: q.sort, dir: q.dir, limit: PAGE, offset: (q.page - 1) * PAGE }),
      findRule(db, course.id),
    ]);
    const filterQuery = new URLSearchParams(
      Object.entries({ group: q.group, from: q.from, to: q.to }).filter((e): e is [string, string] => !!e[1]),
    ).toString();
    res.render('reports/course', {
      title: req.t('progress:course.title', { title: course.title }),
      course,
      report,
      learners: list.rows,
      total: list.total,
      q,
      filterQuery,
      rule,
      page: q.page,
      pages: Math.max(1, Math.ceil(list.total / PAGE)),
      fmt: fmt(req),
      tables: COURSE_TABLES,
    });
  });

  r.get('/reports/courses/:id/export/:table.:format', async (req, res) => {
    const course = await reports.reportableCourse(db, req.user!, req.params.id);
    const q = LearnerListQuery.parse(req.query);
    const table = courseExport(exporting(req), course, req.params.table, q, () =>
      reports.courseReport(db, course.id, q, req.t, req.lang),
    );
    await send(req, res, req.params.format, table);
  });

  r.get('/reports/courses/:id/learners/:userId', async (req, res) => {
    const found = await reports.learnerInCourse(db, req.user!, req.params.id, req.params.userId);
    res.render('reports/learner-course', {
      title: req.t('progress:drill.title', { name: found.learner.name, course: found.course.title }),
      ...found,
      detail: await reports.drillDown(db, found, req.t, req.lang),
      mayReport: policy.mayReportCourse(req.user, found.course),
      fmt: fmt(req),
      tables: LEARNER_TABLES,
    });
  });

  r.get('/reports/courses/:id/learners/:userId/export/:table.:format', async (req, res) => {
    const found = await reports.learnerInCourse(db, req.user!, req.params.id, req.params.userId);
    await send(req, res, req.params.format, learnerExport(exporting(req), found, req.params.table));
  });

  r.get('/reports/learners/:userId', async (req, res) => {
    const found = await reports.learnerReport(db, req.user!, req.params.userId);
    res.render('reports/learner', {
      title: found.self
        ? req.t('progress:learner.mine')
        : req.t('progress:learner.title', { name: found.learner.name }),
      ...found,
      fmt: fmt(req),
    });
  });

  r.get('/reports/learners/:userId/export/courses.:format', async (req, res) => {
    const found = await reports.learnerReport(db, req.user!, req.params.userId);
    await send(req, res, req.params.format, learnerCoursesExport(req.t, found.learner, found.courses));
  });

  // Completion rule of a course (and the hours printed on its certificates)
  const ruleLocals = (req: Request, course: { id: string; title: string }, values: object) => ({
    title: req.t('progress:rule.title', { title: course.title }),
    course,
    values,
  });

  r.get('/reports/courses/:id/rule', async (req, res) => {
    const course = await reports.reportableCourse(db, req.user!, req.params.id);
    const rule = await findRule(db, course.id);
    res.render(
      'reports/rule',
      ruleLocals(req, course, {
        rule: rule.rule,
        min_score: rule.minScore === null ? '' : String(Math.round(rule.minScore * 100)),
        hours: rule.hours === null ? '' : String(rule.hours),
      }),
    );
  });

  r.post('/reports/courses/:id/rule', async (req, res) => {
    const course = await reports.reportableCourse(db, req.user!, req.params.id);
    if (!policy.mayEditRule(req.user, course)) throw new NotFound('course');
    await withFormErrors(res, 'reports/rule', ruleLocals(req, course, req.body as object), async () => {
      const form = parseForm(RuleForm, req.body);
      const met = await db.transaction(async (trx) => {
        await saveRule(
          trx,
          course.id,
          {
            rule: form.rule,
            minScore: form.min_score === null ? null : form.min_score / 100,
            hours: form.hours,
          },
          req.user!.id,
        );
        // learners who meet the new rule complete the course now
        return settleCompletions(trx, { courseId: course.id });
      });
      flash(req, 'success', 'progress:rule.saved', { count: met.length });
      res.redirect(303, `/reports/courses/${course.id}`);
    });
  });

  return r;
}
