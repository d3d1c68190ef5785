// The LMS side of an H5P activity: sizes the player's frame and shows its status. Messages are taken only
// from that frame's window and the content origin, and only in the expected shape.
(function () {
  'use strict';
  var frame = document.querySelector('iframe.h5p-frame');
  var status = document.getElementById('h5p-activity-status');
  if (!frame || !status) return;
  var origin = frame.getAttribute('data-origin');

  function say(template, score) {
    var text = status.getAttribute(template) || '';
    status.textContent = score === null ? text : text.replace('{score}', String(score));
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== 'wch-h5p' || typeof d.event !== 'string') return;
    if (d.event === 'resize' && typeof d.height === 'number' && isFinite(d.height)) {
      frame.style.height = Math.min(Math.max(Math.ceil(d.height), 200), 20000) + 'px';
    } else if (d.event === 'status' && (d.verb === 'completed' || d.verb === 'answered')) {
      var score = typeof d.scaled === 'number' && isFinite(d.scaled) ? Math.round(d.scaled * 100) : null;
      if (d.verb === 'completed') say(score === null ? 'data-completed' : 'data-completed-score', score);
      else if (score !== null) say('data-answered-score', score);
    } else if (d.event === 'expired') {
      say('data-expired', null);
    } else if (d.event === 'error') {
      say('data-failed', null);
    }
  });
})();
