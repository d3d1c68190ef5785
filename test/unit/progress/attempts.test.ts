import assert from 'node:assert/strict';
import { attemptsOf } from '../../../src/modules/progress/timeline.js';

const ADL = 'http://adlnet.gov/expapi/verbs/';
const ROOT = 'https://lms.example/xapi/activities/scorm/p1';
const SCO = `${ROOT}/sco_1`;
const items = [
  { iri: ROOT, title: 'The package', activity_id: 'a1', decides: true },
  { iri: SCO, title: 'Lesson 1', activity_id: 'a1', decides: false },
];
let minute = 0;
const st = (verb: string, object = SCO, result?: Record<string, unknown>) => ({
  verb: { id: ADL + verb },
  object: { id: object },
  timestamp: new Date(Date.UTC(2026, 10, 28, 9, minute++)).toISOString(),
  ...(result ? { result } : {}),
});

describe('progress: attempts read from statements', () => {
  it('counts a launch and the initialize that follows it as one attempt, and each later initialize as a new one', () => {
    const attempts = attemptsOf(
      [
        st('launched'),
        st('initialized'),
        st('suspended', SCO, { duration: 'PT30S' }),
        st('launched'),
        st('resumed'),
        st('terminated', SCO, { duration: 'PT10S' }),
        st('launched'),
        st('initialized'),
        st('passed', SCO, { success: true, score: { scaled: 0.9 } }),
      ],
      items,
    );
    assert.deepEqual(
      attempts.map((a) => [a.title, a.number, a.status, a.score, a.timeMs]),
      [
        ['Lesson 1', 1, 'in_progress', null, 40_000],
        ['Lesson 1', 2, 'passed', 0.9, 0],
      ],
    );
  });

  it('gives the package as a whole, which decides its activity, no attempts of its own', () => {
    const attempts = attemptsOf(
      [st('initialized'), st('completed', ROOT, { completion: true }), st('passed', ROOT, { success: true })],
      items,
    );
    assert.deepEqual(
      attempts.map((a) => [a.title, a.number]),
      [['Lesson 1', 1]],
    );
  });
});
