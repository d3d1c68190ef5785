import assert from 'node:assert/strict';
import {
  bestCompletion,
  bestSuccess,
  durationSeconds,
  isoDuration,
  readScore,
  scoStatus,
  startingData,
} from '../../../src/modules/scorm/cmi.js';
import type { ScormItem } from '../../../src/modules/scorm/index.js';

const item = (o: Partial<ScormItem> = {}): ScormItem => ({
  identifier: 'sco',
  title: 'SCO',
  identifierref: 'r',
  parameters: null,
  launch: 'index.html',
  scormType: 'sco',
  isVisible: true,
  hideLMSUI: [],
  sharedData: [],
  children: [],
  ...o,
});
const learner = { id: 'u1', name: 'Lea Learner' };

describe('scorm: reading CMI data in the terms of both versions', () => {
  it('reads SCORM 1.2 lesson status as completion and success', () => {
    const s = scoStatus('1.2', {
      cmi: { core: { lesson_status: 'failed', exit: 'suspend', session_time: '0001:02:03.4' } },
    });
    assert.deepEqual(
      [s.completion, s.success, s.exit, s.sessionTime],
      ['completed', 'failed', 'suspend', 'PT1H2M3.4S'],
    );
    assert.equal(scoStatus('1.2', { cmi: { core: { lesson_status: 'browsed' } } }).completion, 'incomplete');
    assert.equal(scoStatus('2004', { cmi: { completion_status: 'not attempted' } }).completion, 'unknown');
  });

  it('reports a 1.2 raw score as scaled = raw / 100 (or over min–max), and only valid scores', () => {
    assert.deepEqual(readScore('1.2', { cmi: { core: { score: { raw: '85' } } } }), {
      scaled: 0.85,
      raw: 85,
    });
    assert.deepEqual(readScore('1.2', { cmi: { core: { score: { raw: '8', min: '0', max: '10' } } } }), {
      scaled: 0.8,
      raw: 8,
      min: 0,
      max: 10,
    });
    assert.deepEqual(
      readScore('2004', { cmi: { score: { scaled: '0.5', raw: '50', min: '60', max: '100' } } }),
      { scaled: 0.5 },
    );
    assert.equal(readScore('2004', { cmi: { score: { scaled: '' } } }), null);
  });

  it('converts durations', () => {
    assert.equal(isoDuration('00:00:07'), 'PT0H0M7S');
    assert.equal(isoDuration('PT1M5S'), 'PT1M5S');
    assert.equal(isoDuration('garbage'), null);
    assert.equal(durationSeconds('PT1H2M3.5S'), 3723.5);
  });

  it('never lets completed or passed go back', () => {
    assert.equal(bestCompletion('completed', 'incomplete'), 'completed');
    assert.equal(bestSuccess('passed', 'failed'), 'passed');
    assert.equal(bestSuccess('failed', 'passed'), 'passed');
  });

  it('starts ab-initio with the learner and the manifest data, and resumes whole after exit = suspend', () => {
    const fresh = startingData('1.2', undefined, item({ masteryScore: 80, dataFromLMS: 'hello' }), learner);
    assert.equal(fresh.entry, 'ab-initio');
    assert.deepEqual(fresh.doc, {
      cmi: {
        core: {
          entry: 'ab-initio',
          student_id: 'u1',
          student_name: 'Lea Learner',
          credit: 'credit',
          lesson_mode: 'normal',
        },
        launch_data: 'hello',
        student_data: { mastery_score: '80' },
      },
    });
    const long = 'y'.repeat(64_000);
    const stored = {
      cmi: { location: '9', suspend_data: long, exit: 'suspend', session_time: 'PT5S', entry: 'ab-initio' },
    };
    const resumed = startingData(
      '2004',
      { cmi: { cmi: stored.cmi }, initialized: true },
      item(),
      learner,
      0.8,
    );
    assert.equal(resumed.entry, 'resume');
    const cmi = resumed.doc.cmi as Record<string, unknown>;
    assert.equal(cmi.suspend_data, long);
    assert.equal(cmi.location, '9');
    assert.equal(cmi.entry, 'resume');
    assert.equal(cmi.exit, undefined);
    assert.equal(cmi.scaled_passing_score, '0.8');
    const after = startingData(
      '2004',
      { cmi: { cmi: { ...stored.cmi, exit: 'normal' } }, initialized: true },
      item(),
      learner,
    );
    assert.deepEqual([after.entry, after.newScoAttempt], ['ab-initio', true]);
    const neverStarted = startingData('2004', { cmi: { cmi: {} }, initialized: false }, item(), learner);
    assert.equal(neverStarted.newScoAttempt, false);
  });
});
