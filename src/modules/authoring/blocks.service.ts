import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { NotFound, ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findActivityOfKind } from '../courses/index.js';
import * as repo from './authoring.repo.js';
import {
  BlockData,
  FileBlockForm,
  H5pBlockForm,
  ImageBlockForm,
  MAX_OPTIONS,
  QuestionForm,
  QuizBlockForm,
  QuizData,
  TextBlockForm,
  UploadForm,
  VideoBlockForm,
  type Direction,
  type Question,
  type QuestionType,
} from './authoring.schemas.js';
import { blockOf, changeDraft, courseForAuthor, lessonOf } from './editor.service.js';
import { storeUpload } from './files.service.js';
import type { FileStore } from './files.storage.js';
import type { Upload } from './uploads.js';
import { videoEmbed } from './video.js';

export interface BlockDeps {
  store: FileStore;
  peertubeHosts: readonly string[];
}

const NEW_BLOCK = {
  text: { kind: 'text', data: { markdown: '' } },
  quiz: { kind: 'quiz', data: { title: '', passMark: 80, questions: [] } },
  'video-link': { kind: 'video', data: { source: 'link', url: '', title: '' } },
  h5p: { kind: 'h5p', data: { activityId: '', title: '' } },
} as const;

export async function addBlock(
  db: Db,
  actor: SessionUser,
  id: string,
  lessonId: string,
  kind: keyof typeof NEW_BLOCK,
) {
  const course = await courseForAuthor(db, actor, id);
  const lesson = await lessonOf(db, course.id, lessonId);
  const { kind: k, data } = NEW_BLOCK[kind];
  return changeDraft(db, course.id, (trx) =>
    repo.insertBlock(trx, { courseId: course.id, lessonId: lesson.id, kind: k, data }),
  );
}

/** An image, file or video block from an upload; images need their alternative text first. */
export async function addUploadBlock(
  db: Db,
  deps: BlockDeps,
  actor: SessionUser,
  id: string,
  lessonId: string,
  body: unknown,
  upload: Upload | undefined,
) {
  const course = await courseForAuthor(db, actor, id);
  const lesson = await lessonOf(db, course.id, lessonId);
  const form = parseForm(UploadForm, body);
  if (form.kind === 'image' && !form.alt) throw new ValidationFailed({ alt: 'authoring:errors.altRequired' });
  const file = await storeUpload(db, deps.store, {
    courseId: course.id,
    kind: form.kind,
    upload,
    userId: actor.id,
  });
  const data =
    form.kind === 'image'
      ? { fileId: file.id, alt: form.alt, caption: '' }
      : form.kind === 'file'
        ? { fileId: file.id, label: form.label }
        : { source: 'file', fileId: file.id, url: '', title: form.label };
  return changeDraft(db, course.id, (trx) =>
    repo.insertBlock(trx, { courseId: course.id, lessonId: lesson.id, kind: form.kind, data }),
  );
}

/** Replaces the course's cover image. */
export async function uploadCover(
  db: Db,
  deps: BlockDeps,
  actor: SessionUser,
  id: string,
  upload: Upload | undefined,
) {
  const course = await courseForAuthor(db, actor, id);
  const file = await storeUpload(db, deps.store, {
    courseId: course.id,
    kind: 'cover',
    upload,
    userId: actor.id,
  });
  await repo.updateAuthoredCourse(db, course.id, { cover_file_id: file.id });
  return file;
}

/** Saves a block's form (the editor's Save button, or autosave). */
export async function updateBlock(
  db: Db,
  deps: BlockDeps,
  actor: SessionUser,
  id: string,
  blockId: string,
  body: unknown,
) {
  const course = await courseForAuthor(db, actor, id);
  const block = await blockOf(db, course.id, blockId);
  const current = BlockData[block.kind].parse(block.data) as Record<string, unknown>;
  let patch: Record<string, unknown>;
  switch (block.kind) {
    case 'text':
      patch = parseForm(TextBlockForm, body);
      break;
    case 'image':
      patch = parseForm(ImageBlockForm, body);
      break;
    case 'file':
      patch = parseForm(FileBlockForm, body);
      break;
    case 'video': {
      const f = parseForm(VideoBlockForm, body);
      if (current.source === 'link') {
        if (f.url && !videoEmbed(f.url, deps.peertubeHosts))
          throw new ValidationFailed({ url: 'authoring:errors.videoUrl' });
        patch = { url: f.url, title: f.title };
      } else patch = { title: f.title };
      break;
    }
    case 'h5p': {
      const f = parseForm(H5pBlockForm, body);
      let title = '';
      if (f.activity_id) {
        const activity = await findActivityOfKind(db, f.activity_id, 'h5p');
        if (!activity) throw new ValidationFailed({ activity_id: 'authoring:errors.h5pUnknown' });
        title = activity.title;
      }
      patch = { activityId: f.activity_id, title };
      break;
    }
    case 'quiz': {
      const f = parseForm(QuizBlockForm, body);
      patch = { title: f.title, passMark: f.pass_mark };
      break;
    }
  }
  await changeDraft(db, course.id, async (trx) => {
    const locked = await repo.lockBlock(trx, course.id, block.id);
    if (!locked) throw new NotFound('block');
    await repo.updateBlockData(trx, block.id, { ...(locked.data as object), ...patch });
  });
  return { course, block };
}

// ---- quiz questions (kept inside the quiz block's data) ----

async function quizOf(db: Db, actor: SessionUser, id: string, blockId: string) {
  const course = await courseForAuthor(db, actor, id);
  const block = await blockOf(db, course.id, blockId);
  if (block.kind !== 'quiz') throw new NotFound('block');
  return { course, block };
}

/** Changes the questions of a quiz with its row locked. */
async function changeQuestions<T>(
  db: Db,
  courseId: string,
  blockId: string,
  fn: (qs: Question[]) => T,
): Promise<T> {
  return changeDraft(db, courseId, async (trx) => {
    const locked = await repo.lockBlock(trx, courseId, blockId);
    if (!locked) throw new NotFound('block');
    const quiz = QuizData.parse(locked.data);
    const out = fn(quiz.questions);
    await repo.updateBlockData(trx, blockId, quiz);
    return out;
  });
}

export async function questionForEditor(
  db: Db,
  actor: SessionUser,
  id: string,
  blockId: string,
  questionId: string,
) {
  const { course, block } = await quizOf(db, actor, id, blockId);
  const quiz = QuizData.parse(block.data);
  const question = quiz.questions.find((q) => q.id === questionId);
  if (!question) throw new NotFound('question');
  const lesson = await lessonOf(db, course.id, block.lesson_id);
  return { course, block, quiz, question, lesson };
}

export async function addQuestion(
  db: Db,
  actor: SessionUser,
  id: string,
  blockId: string,
  type: QuestionType,
) {
  const { course, block } = await quizOf(db, actor, id, blockId);
  const question: Question = {
    id: 'q' + randomBytes(5).toString('hex'),
    type,
    prompt: '',
    options:
      type === 'truefalse'
        ? [
            { id: 'true', text: '', correct: true, feedback: '' },
            { id: 'false', text: '', correct: false, feedback: '' },
          ]
        : [],
    accepted: [],
    feedbackCorrect: '',
    feedbackIncorrect: '',
  };
  await changeQuestions(db, course.id, block.id, (qs) => {
    if (qs.length >= 50) throw new ValidationFailed({ type: 'authoring:errors.tooManyQuestions' });
    qs.push(question);
  });
  return { course, block, question };
}

const LETTERS = 'abcdefgh';

/** Reads a question's form: options are rows option_text_N / option_feedback_N / option_correct(_N). */
export function parseQuestionForm(
  type: QuestionType,
  body: Record<string, unknown>,
): Omit<Question, 'id' | 'type'> {
  const form = parseForm(QuestionForm, body);
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const base = {
    prompt: form.prompt,
    feedbackCorrect: form.feedback_correct.trim(),
    feedbackIncorrect: form.feedback_incorrect.trim(),
  };
  if (type === 'short') {
    const accepted = form.accepted
      .split(/\r?\n/)
      .map((a) => a.trim())
      .filter(Boolean)
      .slice(0, 20);
    if (!accepted.length) throw new ValidationFailed({ accepted: 'authoring:errors.acceptedRequired' });
    return { ...base, options: [], accepted };
  }
  if (type === 'truefalse') {
    const correct = str('option_correct');
    if (correct !== 'true' && correct !== 'false')
      throw new ValidationFailed({ option_correct: 'authoring:errors.correctRequired' });
    return {
      ...base,
      accepted: [],
      options: (['true', 'false'] as const).map((v) => ({
        id: v,
        text: '',
        correct: correct === v,
        feedback: str(`option_feedback_${v}`).trim().slice(0, 2000),
      })),
    };
  }
  const rows = [];
  for (let i = 0; i < MAX_OPTIONS; i++) {
    const text = str(`option_text_${i}`).trim().slice(0, 1000);
    if (!text) continue;
    const correct =
      type === 'single' ? str('option_correct') === String(i) : str(`option_correct_${i}`) !== '';
    rows.push({ text, correct, feedback: str(`option_feedback_${i}`).trim().slice(0, 2000) });
  }
  if (rows.length < 2) throw new ValidationFailed({ option_text_0: 'authoring:errors.twoOptions' });
  if (!rows.some((r) => r.correct))
    throw new ValidationFailed({ option_correct: 'authoring:errors.correctRequired' });
  return { ...base, accepted: [], options: rows.map((r, i) => ({ id: LETTERS[i]!, ...r })) };
}

export async function updateQuestion(
  db: Db,
  actor: SessionUser,
  id: string,
  blockId: string,
  questionId: string,
  body: Record<string, unknown>,
) {
  const { question, course, block, lesson } = await questionForEditor(db, actor, id, blockId, questionId);
  const fields = parseQuestionForm(question.type, body);
  await changeQuestions(db, course.id, block.id, (qs) => {
    const q = qs.find((x) => x.id === questionId);
    if (!q) throw new NotFound('question');
    Object.assign(q, fields);
  });
  return { course, block, lesson };
}

export async function deleteQuestion(
  db: Db,
  actor: SessionUser,
  id: string,
  blockId: string,
  questionId: string,
) {
  const { course, block } = await quizOf(db, actor, id, blockId);
  await changeQuestions(db, course.id, block.id, (qs) => {
    const i = qs.findIndex((q) => q.id === questionId);
    if (i < 0) throw new NotFound('question');
    qs.splice(i, 1);
  });
  return { course, block };
}

export async function moveQuestion(
  db: Db,
  actor: SessionUser,
  id: string,
  blockId: string,
  questionId: string,
  direction: Direction,
) {
  const { course, block } = await quizOf(db, actor, id, blockId);
  const place = await changeQuestions(db, course.id, block.id, (qs) => {
    const i = qs.findIndex((q) => q.id === questionId);
    if (i < 0) throw new NotFound('question');
    const j = direction === 'up' ? i - 1 : i + 1;
    if (j >= 0 && j < qs.length) [qs[i], qs[j]] = [qs[j]!, qs[i]!];
    return { place: qs.findIndex((q) => q.id === questionId) + 1, of: qs.length };
  });
  return { course, block, ...place };
}
