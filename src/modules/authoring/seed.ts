import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { sessionUser } from '../accounts/index.js';
import * as repo from './authoring.repo.js';
import { storeGeneratedFile } from './files.service.js';
import { diskFileStore } from './files.storage.js';
import { demoPicture } from './png.js';
import { publish } from './publish.service.js';

// Demo content is data, not interface text: it stays in English whatever the visitor's language.
const WELCOME = `Welcome! This short course shows what **authored courses** look like on WorkCoopHub.

Any member can write one: sections, lessons, text, images, files, videos and quizzes.
Publishing freezes a version for learners while the author works on the next one.`;

const HOW = `## Write in Markdown

- *Italic* and **bold** text, lists and [links](https://commonmark.org/help/)
- A live preview shows the result as you type
- Drafts save themselves every few seconds

## Take it anywhere

The author can export each published version as **SCORM 1.2**, **SCORM 2004**, **cmi5** or plain **HTML**,
so the course runs in other learning platforms too.`;

/**
 * The demo authored course "Getting started" (slug getting-started), owned by the demo trainer,
 * published once: two sections, three lessons, a generated picture and a quiz.
 */
export async function seedGettingStarted(
  db: Db,
  config: Pick<Config, 'contentDir' | 'publicUrl'>,
  trainerId: string,
): Promise<void> {
  const actor = await sessionUser(db, trainerId);
  if (!actor) return;
  const store = diskFileStore(config.contentDir);
  const course = await repo.insertAuthoredCourse(db, {
    owner_id: actor.id,
    title: 'Getting started',
    language: 'en',
  });
  const picture = await storeGeneratedFile(db, store, {
    courseId: course.id,
    kind: 'image',
    name: 'members-around-a-table.png',
    mediaType: 'image/png',
    data: demoPicture(),
    userId: actor.id,
  });
  await repo.updateAuthoredCourse(db, course.id, {
    description: 'A five-minute tour of authored courses: how they are written, taken and exported (demo).',
    licence: 'cc-by',
    attribution: 'WorkCoopHub demo content',
    visibility: 'public',
    cover_file_id: picture.id,
  });
  const intro = await repo.insertSection(db, course.id, 'Start here');
  const welcome = await repo.insertLesson(db, course.id, intro.id, 'Welcome');
  await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: welcome.id,
    kind: 'text',
    data: { markdown: WELCOME },
  });
  await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: welcome.id,
    kind: 'image',
    data: {
      fileId: picture.id,
      alt: 'Three members sitting around a table',
      caption: 'Members learn from each other.',
    },
  });
  const how = await repo.insertLesson(db, course.id, intro.id, 'How authoring works');
  await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: how.id,
    kind: 'text',
    data: { markdown: HOW },
  });
  const check = await repo.insertSection(db, course.id, 'Check what you learnt');
  const quizLesson = await repo.insertLesson(db, course.id, check.id, 'Quiz');
  await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: quizLesson.id,
    kind: 'quiz',
    data: {
      title: 'Three questions',
      passMark: 60,
      questions: [
        {
          id: 'qwhocan',
          type: 'single',
          prompt: 'Who may write a course on WorkCoopHub?',
          options: [
            { id: 'a', text: 'Only trainers', correct: false, feedback: 'Trainers can, but not only them.' },
            {
              id: 'b',
              text: 'Any member',
              correct: true,
              feedback: 'Yes: every member can share what they know.',
            },
          ],
          accepted: [],
          feedbackCorrect: '',
          feedbackIncorrect: '',
        },
        {
          id: 'qfrozen',
          type: 'truefalse',
          prompt: 'Learners take the version that was published, not the draft.',
          options: [
            { id: 'true', text: '', correct: true, feedback: 'Right: publishing freezes a version.' },
            {
              id: 'false',
              text: '',
              correct: false,
              feedback: 'Publishing freezes a version; the draft stays private.',
            },
          ],
          accepted: [],
          feedbackCorrect: '',
          feedbackIncorrect: '',
        },
        {
          id: 'qformat',
          type: 'short',
          prompt: 'Name the xAPI-based standard that exports can use (four letters and a digit).',
          options: [],
          accepted: ['cmi5'],
          feedbackCorrect: 'Yes, cmi5.',
          feedbackIncorrect: 'The answer is cmi5.',
        },
      ],
    },
  });
  await publish(db, config, actor, course.id);
}
