/* SCORM 1.2 adapter: finds the LMS's API object as the SCORM 1.2 run-time environment says
   (this window's parents, then the opener's) and reports status, score and interactions. */
/* global window */
(function () {
  'use strict';
  var api = null;
  var count = 0;
  var startedAt = Date.now();
  var done = false;

  function search(win) {
    var tries = 0;
    while (win && win.API == null && win.parent != null && win.parent !== win) {
      if (++tries > 500) return null;
      win = win.parent;
    }
    return win && win.API ? win.API : null;
  }
  function findApi() {
    var found = search(window);
    if (!found && window.opener) {
      try {
        found = search(window.opener);
      } catch {
        found = null;
      }
    }
    return found;
  }
  function set(k, v) {
    return api.LMSSetValue(k, String(v));
  }
  function pad(n, w) {
    var s = String(n);
    while (s.length < w) s = '0' + s;
    return s;
  }
  function timespan(ms) {
    var t = Math.floor(ms / 10);
    var cs = t % 100;
    var sec = Math.floor(t / 100);
    return (
      pad(Math.floor(sec / 3600), 4) +
      ':' +
      pad(Math.floor(sec / 60) % 60, 2) +
      ':' +
      pad(sec % 60, 2) +
      '.' +
      pad(cs, 2)
    );
  }
  function clock() {
    var d = new Date();
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }
  function response12(q, ids) {
    if (q.type === 'truefalse') return ids[0] === 'true' ? 't' : ids[0] === 'false' ? 'f' : '';
    if (q.type === 'short') return (ids[0] || '').slice(0, 255);
    return ids.join(',');
  }
  function patterns12(q) {
    if (q.type === 'short')
      return q.accepted.map(function (a) {
        return a.slice(0, 255);
      });
    var ids = q.options
      .filter(function (o) {
        return o.correct;
      })
      .map(function (o) {
        return o.id;
      });
    return [response12(q, ids)];
  }

  window.WCH_ADAPTER = {
    start: function () {
      api = findApi();
      if (!api) return { noLms: true, state: null };
      api.LMSInitialize('');
      var status = api.LMSGetValue('cmi.core.lesson_status');
      if (status === 'not attempted' || status === '') set('cmi.core.lesson_status', 'incomplete');
      count = parseInt(api.LMSGetValue('cmi.interactions._count'), 10) || 0;
      var saved = api.LMSGetValue('cmi.suspend_data');
      api.LMSCommit('');
      return { state: saved || null };
    },
    answered: function (q, o, quiz) {
      if (!api) return;
      var p = 'cmi.interactions.' + count++ + '.';
      set(p + 'id', 'q_' + q.id);
      set(p + 'objectives.0.id', 'quiz_' + quiz.id.replace(/-/g, ''));
      set(p + 'time', clock());
      set(p + 'type', q.type === 'short' ? 'fill-in' : q.type === 'truefalse' ? 'true-false' : 'choice');
      patterns12(q).forEach(function (pattern, i) {
        set(p + 'correct_responses.' + i + '.pattern', pattern);
      });
      set(p + 'weighting', '1');
      set(p + 'student_response', response12(q, o.response));
      set(p + 'result', o.correct ? 'correct' : 'wrong');
    },
    progress: function (r) {
      if (!api || done) return;
      if (r.hasQuizzes && r.anyQuiz) {
        set('cmi.core.score.min', '0');
        set('cmi.core.score.max', '100');
        set('cmi.core.score.raw', String(Math.round(r.scaled * 100)));
      }
      if (r.location) set('cmi.core.lesson_location', r.location);
      // SCORM 1.2 keeps at most 4096 characters of suspend data.
      if (r.state.length <= 4096) set('cmi.suspend_data', r.state);
      set(
        'cmi.core.lesson_status',
        !r.completed ? 'incomplete' : r.hasQuizzes ? (r.passed ? 'passed' : 'failed') : 'completed',
      );
      api.LMSCommit('');
    },
    finish: function (r) {
      if (!api || done) return;
      done = true;
      set('cmi.core.session_time', timespan(Date.now() - startedAt));
      set('cmi.core.exit', r.completed ? '' : 'suspend');
      api.LMSCommit('');
      api.LMSFinish('');
    },
  };
})();
