import assert from 'node:assert/strict';
import {
  scoreQuestion,
  scoreQuiz,
  correctPatterns,
  xapiResponse,
} from '../../../src/modules/authoring/quiz.js';
import { QUESTIONS } from '../../integration/authoring/fixtures.js';

const [single, multiple, truefalse, short] = QUESTIONS as [
  (typeof QUESTIONS)[0],
  (typeof QUESTIONS)[0],
  (typeof QUESTIONS)[0],
  (typeof QUESTIONS)[0],
];

describe('quiz scoring', () => {
  it('single choice: the one correct option, with that option’s feedback', () => {
    assert.deepEqual(scoreQuestion(single, 'b'), {
      questionId: 'qsingle',
      response: ['b'],
      correct: true,
      feedback: ['Yes B'],
    });
    const wrong = scoreQuestion(single, 'a');
    assert.equal(wrong.correct, false);
    assert.deepEqual(wrong.feedback, ['Not A']);
    assert.equal(
      scoreQuestion(single, ['a', 'b']).correct,
      false,
      'only the first of several answers counts',
    );
    assert.equal(scoreQuestion(single, undefined).correct, false);
    assert.equal(scoreQuestion(single, 'zzz').correct, false, 'unknown option ids are ignored');
  });

  it('multiple choice: exactly the set of correct options, in the options’ order', () => {
    const ok = scoreQuestion(multiple, ['c', 'a']);
    assert.equal(ok.correct, true);
    assert.deepEqual(ok.response, ['a', 'c']);
    assert.deepEqual(ok.feedback, ['All right']);
    assert.equal(scoreQuestion(multiple, ['a']).correct, false);
    assert.equal(scoreQuestion(multiple, ['a', 'b', 'c']).correct, false);
    assert.deepEqual(scoreQuestion(multiple, ['a']).feedback, ['Not quite']);
    assert.equal(xapiResponse(multiple, ok), 'a[,]c');
    assert.deepEqual(correctPatterns(multiple), ['a[,]c']);
  });

  it('true/false', () => {
    assert.equal(scoreQuestion(truefalse, 'true').correct, true);
    assert.equal(scoreQuestion(truefalse, 'false').correct, false);
    assert.deepEqual(correctPatterns(truefalse), ['true']);
  });

  it('short answer: trimmed, any case, inner spaces collapsed; empty is wrong', () => {
    assert.equal(scoreQuestion(short, '  CMI5 ').correct, true);
    assert.equal(scoreQuestion(short, 'xapi').correct, true);
    assert.equal(scoreQuestion(short, 'x api').correct, false);
    assert.equal(scoreQuestion(short, '   ').correct, false);
    assert.deepEqual(scoreQuestion(short, ' cmi5 ').response, ['cmi5']);
    assert.deepEqual(correctPatterns(short), ['{case_matters=false}cmi5', '{case_matters=false}xAPI']);
  });

  it('a quiz scores the share of correct questions and passes at its pass mark', () => {
    const all = { qsingle: 'b', qmulti: ['a', 'c'], qtf: 'true', qshort: 'cmi5' };
    const full = scoreQuiz({ questions: QUESTIONS, passMark: 75 }, all);
    assert.equal(full.scaled, 1);
    assert.equal(full.passed, true);
    const three = scoreQuiz({ questions: QUESTIONS, passMark: 75 }, { ...all, qshort: 'nope' });
    assert.equal(three.scaled, 0.75);
    assert.equal(three.correctCount, 3);
    assert.equal(three.passed, true, '75 % passes a pass mark of 75');
    assert.equal(scoreQuiz({ questions: QUESTIONS, passMark: 76 }, { ...all, qshort: 'nope' }).passed, false);
    const none = scoreQuiz({ questions: QUESTIONS, passMark: 0 }, {});
    assert.equal(none.scaled, 0);
    assert.equal(none.passed, true, 'a pass mark of 0 always passes');
  });

  it('compares two thirds exactly: 66 passes, 67 does not', () => {
    const three = QUESTIONS.slice(0, 3);
    const answers = { qsingle: 'b', qmulti: ['a', 'c'], qtf: 'false' };
    assert.equal(scoreQuiz({ questions: three, passMark: 66 }, answers).passed, true);
    assert.equal(scoreQuiz({ questions: three, passMark: 67 }, answers).passed, false);
  });
});
