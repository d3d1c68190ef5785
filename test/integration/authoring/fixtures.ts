import type { Config } from '../../../src/platform/config.js';
import type { Db } from '../../../src/platform/db.js';
import type { SessionUser } from '../../../src/platform/http/types.js';
import * as repo from '../../../src/modules/authoring/authoring.repo.js';
import { publish } from '../../../src/modules/authoring/publish.service.js';
import { encodePng } from '../../../src/modules/authoring/png.js';
import { storeGeneratedFile } from '../../../src/modules/authoring/files.service.js';
import type { FileStore } from '../../../src/modules/authoring/files.storage.js';
import type { Question } from '../../../src/modules/authoring/authoring.schemas.js';

export const asSession = (u: {
  id: string;
  email: string;
  name: string;
  roles: SessionUser['roles'];
}): SessionUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  roles: u.roles,
  language: null,
});

export const QUESTIONS: Question[] = [
  {
    id: 'qsingle',
    type: 'single',
    prompt: 'Pick B',
    options: [
      { id: 'a', text: 'A', correct: false, feedback: 'Not A' },
      { id: 'b', text: 'B', correct: true, feedback: 'Yes B' },
    ],
    accepted: [],
    feedbackCorrect: '',
    feedbackIncorrect: '',
  },
  {
    id: 'qmulti',
    type: 'multiple',
    prompt: 'Pick A and C',
    options: [
      { id: 'a', text: 'A', correct: true, feedback: '' },
      { id: 'b', text: 'B', correct: false, feedback: '' },
      { id: 'c', text: 'C', correct: true, feedback: '' },
    ],
    accepted: [],
    feedbackCorrect: 'All right',
    feedbackIncorrect: 'Not quite',
  },
  {
    id: 'qtf',
    type: 'truefalse',
    prompt: 'The sky is blue',
    options: [
      { id: 'true', text: '', correct: true, feedback: '' },
      { id: 'false', text: '', correct: false, feedback: '' },
    ],
    accepted: [],
    feedbackCorrect: '',
    feedbackIncorrect: '',
  },
  {
    id: 'qshort',
    type: 'short',
    prompt: 'Name the standard',
    options: [],
    accepted: ['cmi5', 'xAPI'],
    feedbackCorrect: 'Yes',
    feedbackIncorrect: 'No',
  },
];

/** A draft with two lessons (text + image, then a quiz of four questions), optionally published on the platform given. */
export async function buildAuthoredCourse(
  db: Db,
  store: FileStore,
  owner: SessionUser,
  o: {
    title?: string;
    publish?: Pick<Config, 'publicUrl'>;
    passMark?: number;
    texts?: Partial<Record<'title' | 'markdown' | 'alt' | 'prompt' | 'feedback' | 'lesson', string>>;
  } = {},
) {
  const tx = o.texts ?? {};
  const course = await repo.insertAuthoredCourse(db, {
    owner_id: owner.id,
    title: o.title ?? tx.title ?? 'Test course',
    language: 'en',
  });
  await repo.updateAuthoredCourse(db, course.id, {
    description: 'For tests',
    licence: 'cc-by-sa',
    attribution: 'Test author',
  });
  const image = await storeGeneratedFile(db, store, {
    courseId: course.id,
    kind: 'image',
    name: 'dot.png',
    mediaType: 'image/png',
    data: encodePng(4, 4, () => [200, 10, 10]),
    userId: owner.id,
  });
  const section = await repo.insertSection(db, course.id, 'Part one');
  const l1 = await repo.insertLesson(db, course.id, section.id, tx.lesson ?? 'Reading');
  await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: l1.id,
    kind: 'text',
    data: { markdown: tx.markdown ?? 'Hello **world**' },
  });
  await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: l1.id,
    kind: 'image',
    data: { fileId: image.id, alt: tx.alt ?? 'A red dot', caption: '' },
  });
  const l2 = await repo.insertLesson(db, course.id, section.id, 'Check');
  const questions = QUESTIONS.map((q) => ({
    ...q,
    prompt: tx.prompt && q.id === 'qsingle' ? tx.prompt : q.prompt,
    feedbackIncorrect: tx.feedback ?? q.feedbackIncorrect,
  }));
  const quiz = await repo.insertBlock(db, {
    courseId: course.id,
    lessonId: l2.id,
    kind: 'quiz',
    data: { title: 'Quiz', passMark: o.passMark ?? 75, questions },
  });
  let published: { version: number; courseId: string } | undefined;
  if (o.publish) published = await publish(db, o.publish, owner, course.id);
  return { course, section, lessons: [l1, l2], quiz, image, published };
}
