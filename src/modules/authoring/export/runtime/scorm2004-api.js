/* SCORM 2004 4th edition names and formats for scorm.js (the API object `API_1484_11`, cmi.*). */
/* global window */
(function () {
  'use strict';
  function response(q, ids) {
    return q.type === 'short' ? ids[0] || '' : ids.join('[,]');
  }

  window.WCH_SCORM = {
    apiName: 'API_1484_11',
    calls: { init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate' },
    started: function (get) {
      return get('cmi.completion_status') === 'completed' ? [] : [['cmi.completion_status', 'incomplete']];
    },
    interaction: function (q, o, quiz, type, correctIds) {
      var patterns =
        q.type === 'short'
          ? q.accepted.slice(0, 5).map(function (a) {
              return '{case_matters=false}' + a;
            })
          : [response(q, correctIds)];
      return [
        ['id', 'urn:wch:question:' + q.id],
        ['type', type],
        ['objectives.0.id', 'urn:wch:quiz:' + quiz.id],
        ['timestamp', new Date().toISOString().slice(0, 19)],
      ]
        .concat(
          patterns.map(function (p, i) {
            return ['correct_responses.' + i + '.pattern', p];
          }),
        )
        .concat([
          ['weighting', '1'],
          ['learner_response', response(q, o.response)],
          ['result', o.correct ? 'correct' : 'incorrect'],
          ['description', q.prompt.slice(0, 250)],
        ]);
    },
    progress: function (r) {
      var out = [['cmi.progress_measure', (r.percent / 100).toFixed(2)]];
      if (r.hasQuizzes && r.anyQuiz)
        out.push(
          ['cmi.score.min', '0'],
          ['cmi.score.max', '100'],
          ['cmi.score.raw', Math.round(r.scaled * 100)],
          ['cmi.score.scaled', Math.round(r.scaled * 10000) / 10000],
        );
      if (r.location) out.push(['cmi.location', r.location]);
      var success = r.completed && r.hasQuizzes ? (r.passed ? 'passed' : 'failed') : 'unknown';
      out.push(
        ['cmi.suspend_data', r.state],
        ['cmi.completion_status', r.completed ? 'completed' : 'incomplete'],
        ['cmi.success_status', success],
      );
      return out;
    },
    finish: function (r, ms) {
      return [
        ['cmi.session_time', 'PT' + (Math.round(ms / 10) / 100).toFixed(2) + 'S'],
        ['cmi.exit', r.completed ? 'normal' : 'suspend'],
      ];
    },
  };
})();
