import type { Db } from '../../platform/db.js';
import { insertGroup, insertMember } from '../groups/index.js';
import * as activities from './activities.repo.js';
import * as courses from './courses.repo.js';
import * as enrolments from './enrolments.repo.js';

// Demo content is data, not interface text: it stays in English whatever the visitor's language.
const DEMO_COURSES = [
  {
    slug: 'freelancing-in-the-cooperative',
    title: 'Freelancing in the cooperative (demo)',
    description:
      'A short demo course: how the cooperative works for its freelance members, how to take part, and where to find help.',
    visibility: 'public' as const,
    status: 'published' as const,
    pages: [
      {
        title: 'Welcome',
        body: '## Welcome to the cooperative\n\nThis is a **demo course**. It shows what a course with page activities looks like.\n\n- Read each page in order.\n- Use *Next* at the bottom of a page to go on.\n\nMore about cooperatives: [ICA cooperative identity](https://ica.coop/en/cooperatives/cooperative-identity).',
      },
      {
        title: 'How decisions are made',
        body: '## One member, one vote\n\nEvery member has one vote in the general assembly, whatever their share.\n\n1. Proposals are shared two weeks ahead.\n2. Working groups discuss them.\n3. The assembly decides.',
      },
      {
        title: 'Where to find help',
        body: '## Help and mentoring\n\nAsk the coordinators for a mentor, join a working group, or come to the hub on open days.\n\n> Nobody has to work alone.',
      },
    ],
  },
  {
    slug: 'pricing-your-work',
    title: 'Pricing your work (demo)',
    description: 'A members-only demo course about setting a fair day rate.',
    visibility: 'members' as const,
    status: 'published' as const,
    pages: [
      {
        title: 'Your day rate',
        body: '## Count the days you can bill\n\nHolidays, training and admin are days you cannot bill: a year has fewer working days than it seems.',
      },
    ],
  },
  {
    slug: 'invoicing-basics',
    title: 'Invoicing basics (demo draft)',
    description: 'A demo course still in preparation: learners do not see drafts.',
    visibility: 'members' as const,
    status: 'draft' as const,
    pages: [{ title: 'What an invoice must show', body: 'Draft text.' }],
  },
];

/** Demo courses owned by the demo trainer, the learner enrolled in the first, and a cohort with them. */
export async function seedDemoCourses(
  db: Db,
  ids: { trainerId: string; learnerId: string; coordinatorId: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    const created = [];
    for (const c of DEMO_COURSES) {
      const course = await courses.insertCourse(trx, {
        slug: c.slug,
        title: c.title,
        description: c.description,
        language: 'en',
        owner_id: ids.trainerId,
        visibility: c.visibility,
        self_enrol: true,
        status: c.status,
      });
      for (const p of c.pages) {
        const page = await activities.insertPage(trx, { courseId: course.id, body: p.body });
        await activities.insertActivity(trx, {
          courseId: course.id,
          kind: 'page',
          title: p.title,
          contentRef: { pageId: page.id },
        });
      }
      created.push(course);
    }
    await enrolments.enrolLearners(trx, created[0]!.id, [ids.learnerId], ids.coordinatorId);
    const cohort = await insertGroup(trx, {
      kind: 'cohort',
      name: 'Demo cohort',
      description: 'New members who started this season (demo data).',
      managedBy: ids.coordinatorId,
    });
    await insertMember(trx, { groupId: cohort.id, userId: ids.learnerId, addedBy: ids.coordinatorId });
  });
}
