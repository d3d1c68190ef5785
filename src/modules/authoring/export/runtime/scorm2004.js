/* SCORM 2004 4th edition adapter: finds API_1484_11 as the run-time environment says (parents,
   then the opener's) and reports completion, success, score, progress and interactions. */
/* global window */
(function () {
  'use strict';
  var api = null;
  var count = 0;
  var startedAt = Date.now();
  var done = false;

  function search(win) {
    var tries = 0;
    while (win && win.API_1484_11 == null && win.parent != null && win.parent !== win) {
      if (++tries > 500) return null;
      win = win.parent;
    }
    return win && win.API_1484_11 ? win.API_1484_11 : null;
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
    return api.SetValue(k, String(v));
  }
  function duration(ms) {
    return 'PT' + (Math.round(ms / 10) / 100).toFixed(2) + 'S';
  }
  function stamp() {
    return new Date().toISOString().slice(0, 19);
  }
  function response(q, ids) {
    if (q.type === 'short') return ids[0] || '';
    return ids.join('[,]');
  }
  function patterns(q) {
    if (q.type === 'short') {
      return q.accepted.slice(0, 5).map(function (a) {
        return '{case_matters=false}' + a;
      });
    }
    return [
      response(
        q,
        q.options
          .filter(function (o) {
            return o.correct;
          })
          .map(function (o) {
            return o.id;
          }),
      ),
    ];
  }

  window.WCH_ADAPTER = {
    start: function () {
      api = findApi();
      if (!api) return { noLms: true, state: null };
      api.Initialize('');
      if (api.GetValue('cmi.completion_status') !== 'completed') set('cmi.completion_status', 'incomplete');
      count = parseInt(api.GetValue('cmi.interactions._count'), 10) || 0;
      var saved = api.GetValue('cmi.suspend_data');
      api.Commit('');
      return { state: saved || null };
    },
    answered: function (q, o, quiz) {
      if (!api) return;
      var p = 'cmi.interactions.' + count++ + '.';
      set(p + 'id', 'urn:wch:question:' + q.id);
      set(p + 'type', q.type === 'short' ? 'fill-in' : q.type === 'truefalse' ? 'true-false' : 'choice');
      set(p + 'objectives.0.id', 'urn:wch:quiz:' + quiz.id);
      set(p + 'timestamp', stamp());
      patterns(q).forEach(function (pattern, i) {
        set(p + 'correct_responses.' + i + '.pattern', pattern);
      });
      set(p + 'weighting', '1');
      set(p + 'learner_response', response(q, o.response));
      set(p + 'result', o.correct ? 'correct' : 'incorrect');
      set(p + 'description', q.prompt.slice(0, 250));
    },
    progress: function (r) {
      if (!api || done) return;
      set('cmi.progress_measure', (r.percent / 100).toFixed(2));
      if (r.hasQuizzes && r.anyQuiz) {
        set('cmi.score.min', '0');
        set('cmi.score.max', '100');
        set('cmi.score.raw', String(Math.round(r.scaled * 100)));
        set('cmi.score.scaled', String(Math.round(r.scaled * 10000) / 10000));
      }
      if (r.location) set('cmi.location', r.location);
      set('cmi.suspend_data', r.state);
      set('cmi.completion_status', r.completed ? 'completed' : 'incomplete');
      set('cmi.success_status', r.completed && r.hasQuizzes ? (r.passed ? 'passed' : 'failed') : 'unknown');
      api.Commit('');
    },
    finish: function (r) {
      if (!api || done) return;
      done = true;
      set('cmi.session_time', duration(Date.now() - startedAt));
      set('cmi.exit', r.completed ? 'normal' : 'suspend');
      api.Commit('');
      api.Terminate('');
    },
  };
})();
