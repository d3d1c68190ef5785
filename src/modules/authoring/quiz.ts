import type { Question, QuizBlock } from './authoring.schemas.js';

/** What a learner answered: option ids for choice questions, the typed text for short answers. */
export type Answer = string | string[] | undefined;

export interface QuestionOutcome {
  questionId: string;
  /** Option ids chosen (choice, true/false) or the text typed, trimmed (short answer). */
  response: string[];
  correct: boolean;
  /** Feedback to show: of each chosen option, then the question's correct/incorrect feedback. */
  feedback: string[];
}

export interface QuizOutcome {
  outcomes: QuestionOutcome[];
  correctCount: number;
  total: number;
  /** 0…1, the share of questions answered correctly. */
  scaled: number;
  passed: boolean;
}

/** Short answers match case-insensitively, trimmed, with inner runs of spaces as one. */
export const normaliseShortAnswer = (s: string) =>
  s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();

const asList = (a: Answer): string[] => (a === undefined ? [] : Array.isArray(a) ? a : [a]);

export function scoreQuestion(q: Question, answer: Answer): QuestionOutcome {
  if (q.type === 'short') {
    const text = asList(answer)[0]?.trim() ?? '';
    const accepted = new Set(q.accepted.map(normaliseShortAnswer).filter(Boolean));
    const correct = text !== '' && accepted.has(normaliseShortAnswer(text));
    const general = correct ? q.feedbackCorrect : q.feedbackIncorrect;
    return { questionId: q.id, response: text ? [text] : [], correct, feedback: general ? [general] : [] };
  }
  const known = new Set(q.options.map((o) => o.id));
  let chosen = [...new Set(asList(answer))].filter((id) => known.has(id));
  if (q.type !== 'multiple') chosen = chosen.slice(0, 1);
  const wanted = q.options.filter((o) => o.correct).map((o) => o.id);
  const correct =
    chosen.length > 0 && chosen.length === wanted.length && wanted.every((id) => chosen.includes(id));
  const feedback = q.options.filter((o) => chosen.includes(o.id) && o.feedback).map((o) => o.feedback);
  const general = correct ? q.feedbackCorrect : q.feedbackIncorrect;
  if (general) feedback.push(general);
  // Keep the options' order, so that the same choice always gives the same response string.
  const ordered = q.options.map((o) => o.id).filter((id) => chosen.includes(id));
  return { questionId: q.id, response: ordered, correct, feedback };
}

/** A quiz's score is the share of its questions answered correctly; it passes at passMark percent. */
export function scoreQuiz(
  quiz: Pick<QuizBlock, 'questions' | 'passMark'>,
  answers: Record<string, Answer>,
): QuizOutcome {
  const outcomes = quiz.questions.map((q) => scoreQuestion(q, answers[q.id]));
  const correctCount = outcomes.filter((o) => o.correct).length;
  const total = outcomes.length;
  const scaled = total ? correctCount / total : 0;
  // Compare in whole hundredths so that 2 of 3 (66.67 %) passes a pass mark of 66 but not 67.
  const passed = Math.round(scaled * 10_000) >= quiz.passMark * 100;
  return { outcomes, correctCount, total, scaled, passed };
}

/** The xAPI / SCORM 2004 response string of an outcome (choice ids joined by "[,]"). */
export function xapiResponse(q: Question, o: QuestionOutcome): string {
  if (q.type === 'short') return o.response[0] ?? '';
  return o.response.join('[,]');
}

/** The correct response patterns of a question, as xAPI interaction definitions give them. */
export function correctPatterns(q: Question): string[] {
  if (q.type === 'short')
    return q.accepted.filter((a) => a.trim()).map((a) => `{case_matters=false}${a.trim()}`);
  return [
    q.options
      .filter((o) => o.correct)
      .map((o) => o.id)
      .join('[,]'),
  ];
}

export const interactionType = (q: Question) =>
  q.type === 'short' ? 'fill-in' : q.type === 'truefalse' ? 'true-false' : 'choice';
