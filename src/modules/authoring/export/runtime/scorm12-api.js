/* SCORM 1.2 names and formats for scorm.js (the API object `API`, cmi.core.*). */
/* global window */
(function () {
  'use strict';
  function pad(n, w) {
    var s = String(n);
    while (s.length < w) s = '0' + s;
    return s;
  }
  /** CMITimespan: HHHH:MM:SS.SS */
  function timespan(ms) {
    var t = Math.floor(ms / 10);
    var sec = Math.floor(t / 100);
    var hms = [pad(Math.floor(sec / 3600), 4), pad(Math.floor(sec / 60) % 60, 2), pad(sec % 60, 2)];
    return hms.join(':') + '.' + pad(t % 100, 2);
  }
  function clock() {
    var d = new Date();
    return [d.getHours(), d.getMinutes(), d.getSeconds()]
      .map(function (n) {
        return pad(n, 2);
      })
      .join(':');
  }
  function response(q, ids) {
    if (q.type === 'truefalse') return ids[0] === 'true' ? 't' : ids[0] === 'false' ? 'f' : '';
    if (q.type === 'short') return (ids[0] || '').slice(0, 255);
    return ids.join(',');
  }

  window.WCH_SCORM = {
    apiName: 'API',
    calls: {
      init: 'LMSInitialize',
      get: 'LMSGetValue',
      set: 'LMSSetValue',
      commit: 'LMSCommit',
      finish: 'LMSFinish',
    },
    started: function (get) {
      var status = get('cmi.core.lesson_status');
      return status === 'not attempted' || status === '' ? [['cmi.core.lesson_status', 'incomplete']] : [];
    },
    interaction: function (q, o, quiz, type, correctIds) {
      var patterns =
        q.type === 'short'
          ? q.accepted.map(function (a) {
              return a.slice(0, 255);
            })
          : [response(q, correctIds)];
      return [
        ['id', 'q_' + q.id],
        ['objectives.0.id', 'quiz_' + quiz.id.replace(/-/g, '')],
        ['time', clock()],
        ['type', type],
      ]
        .concat(
          patterns.map(function (p, i) {
            return ['correct_responses.' + i + '.pattern', p];
          }),
        )
        .concat([
          ['weighting', '1'],
          ['student_response', response(q, o.response)],
          ['result', o.correct ? 'correct' : 'wrong'],
        ]);
    },
    progress: function (r) {
      var out = [];
      if (r.hasQuizzes && r.anyQuiz)
        out.push(
          ['cmi.core.score.min', '0'],
          ['cmi.core.score.max', '100'],
          ['cmi.core.score.raw', Math.round(r.scaled * 100)],
        );
      if (r.location) out.push(['cmi.core.lesson_location', r.location]);
      // SCORM 1.2 keeps at most 4096 characters of suspend data.
      if (r.state.length <= 4096) out.push(['cmi.suspend_data', r.state]);
      var status = !r.completed
        ? 'incomplete'
        : r.hasQuizzes
          ? r.passed
            ? 'passed'
            : 'failed'
          : 'completed';
      out.push(['cmi.core.lesson_status', status]);
      return out;
    },
    finish: function (r, ms) {
      return [
        ['cmi.core.session_time', timespan(ms)],
        ['cmi.core.exit', r.completed ? '' : 'suspend'],
      ];
    },
  };
})();
