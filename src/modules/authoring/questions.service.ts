import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { NotFound, ValidationFailed } from '../../platform/errors.js';
import { parseForm } from '../../platform/http/forms.js';
import type { SessionUser } from '../../platform/http/types.js';
import * as repo from './authoring.repo.js';
import {
  MAX_OPTIONS,
  QuestionForm,
  QuizData,
  type Direction,
  type Question,
  type QuestionType,
} from './authoring.schemas.js';
import { blockOf, changeDraft, courseForAuthor, lessonOf } from './editor.service.js';

// Questions are kept inside their quiz block's data, changed with the block's row locked.

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
