/* Plain HTML export: no LMS; progress is kept in this browser only (localStorage, when allowed). */
/* global window */
(function () {
  'use strict';
  var key = 'wch-course-progress';
  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }
  window.WCH_ADAPTER = {
    start: function () {
      var s = storage();
      var saved = null;
      try {
        saved = s ? s.getItem(key + ':' + window.location.pathname) : null;
      } catch {
        saved = null;
      }
      return { noLms: true, state: saved };
    },
    progress: function (r) {
      var s = storage();
      try {
        if (s) s.setItem(key + ':' + window.location.pathname, r.state);
      } catch {
        /* private mode: progress is not kept */
      }
    },
  };
})();
