/* SCORM runtime of the SCORM 1.2 and 2004 exports: finds the LMS's API as the run-time environment says
   (this window's parents, then the opener's) and reports status, score, progress and interactions. What the
   two versions name differently comes from window.WCH_SCORM (scorm12-api.js or scorm2004-api.js). */
/* global window */
(function () {
  'use strict';
  var v = window.WCH_SCORM;
  var api = null;
  var count = 0;
  var startedAt = Date.now();
  var done = false;

  function search(win) {
    var tries = 0;
    while (win && win[v.apiName] == null && win.parent != null && win.parent !== win) {
      if (++tries > 500) return null;
      win = win.parent;
    }
    return win && win[v.apiName] ? win[v.apiName] : null;
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
  function call(name, a, b) {
    return api[v.calls[name]](a, b);
  }
  function get(k) {
    return call('get', k);
  }
  /** Sets [element, value] pairs in order (order matters: an interaction's id and type come first). */
  function setAll(pairs) {
    pairs.forEach(function (p) {
      call('set', p[0], String(p[1]));
    });
  }
  function interactionType(q) {
    return q.type === 'short' ? 'fill-in' : q.type === 'truefalse' ? 'true-false' : 'choice';
  }
  function correctIds(q) {
    return q.options
      .filter(function (o) {
        return o.correct;
      })
      .map(function (o) {
        return o.id;
      });
  }

  window.WCH_ADAPTER = {
    start: function () {
      api = findApi();
      if (!api) return { noLms: true, state: null };
      call('init', '');
      setAll(v.started(get));
      count = parseInt(get('cmi.interactions._count'), 10) || 0;
      var saved = get('cmi.suspend_data');
      call('commit', '');
      return { state: saved || null };
    },
    answered: function (q, o, quiz) {
      if (!api) return;
      var prefix = 'cmi.interactions.' + count++ + '.';
      setAll(
        v.interaction(q, o, quiz, interactionType(q), correctIds(q)).map(function (p) {
          return [prefix + p[0], p[1]];
        }),
      );
    },
    progress: function (r) {
      if (!api || done) return;
      setAll(v.progress(r));
      call('commit', '');
    },
    finish: function (r) {
      if (!api || done) return;
      done = true;
      setAll(v.finish(r, Date.now() - startedAt));
      call('commit', '');
      call('finish', '');
    },
  };
})();
