// The LMS page of a SCORM activity: frames the player of the content origin, hands it the launch data by
// postMessage once it says it is ready, and turns the table of contents and the previous / next / exit
// buttons into navigation requests. Only messages from the player frame and the content origin count.
(function () {
  'use strict';

  var dataEl = document.getElementById('scorm-launch');
  var frame = document.getElementById('scorm-frame');
  if (!dataEl || !frame) return;
  var data = JSON.parse(dataEl.textContent);
  var origin = data.contentOrigin;
  var previous = document.getElementById('scorm-previous');
  var next = document.getElementById('scorm-next');
  var exit = document.getElementById('scorm-exit');
  var message = document.getElementById('scorm-message');
  var stage = document.getElementById('scorm-stage');
  var ended = document.getElementById('scorm-ended');
  var tocButtons = Array.prototype.slice.call(document.querySelectorAll('.scorm-toc-item[data-sco]'));
  var launched = false;
  var finishing = false;

  function send(m) {
    m.wch = 'scorm';
    frame.contentWindow.postMessage(m, origin);
  }

  function say(text) {
    message.textContent = '';
    // a new text node each time, so that screen readers announce a repeated message too
    window.setTimeout(function () {
      message.textContent = text;
    }, 50);
  }

  function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  function applyState(m) {
    var nav = isObject(m.nav) ? m.nav : {};
    var hide = Array.isArray(m.hide) ? m.hide : [];
    previous.disabled = nav.previous !== true || finishing;
    next.disabled = nav.continue !== true || finishing;
    previous.hidden = hide.indexOf('previous') >= 0;
    next.hidden = hide.indexOf('continue') >= 0;
    exit.hidden = hide.indexOf('exit') >= 0 || hide.indexOf('suspendAll') >= 0;
    var choice = isObject(nav.choice) ? nav.choice : {};
    var statuses = isObject(m.statuses) ? m.statuses : {};
    tocButtons.forEach(function (b) {
      var id = b.getAttribute('data-sco');
      // a step the course does not open yet stays focusable and says why when chosen (aria-disabled)
      b.disabled = finishing;
      b.setAttribute('aria-disabled', choice[id] === 'true' ? 'false' : 'true');
      if (id === m.current) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
      var s = isObject(statuses[id]) ? statuses[id] : null;
      var label = s
        ? s.success === 'passed'
          ? 'passed'
          : s.success === 'failed'
            ? 'failed'
            : s.completion === 'completed'
              ? 'completed'
              : s.completion === 'incomplete'
                ? 'incomplete'
                : ''
        : '';
      var badge = b.querySelector('.scorm-toc-status');
      if (badge && s) {
        badge.textContent = label ? data.messages.status[label] : '';
        badge.setAttribute('data-status', label);
      }
    });
  }

  function showEnded(reason) {
    stage.hidden = true;
    [previous, next, exit].forEach(function (b) {
      b.disabled = true;
    });
    tocButtons.forEach(function (b) {
      b.disabled = true;
    });
    var suspended = /suspend/.test(String(reason));
    document.getElementById('scorm-ended-suspended').hidden = !suspended;
    document.getElementById('scorm-ended-exited').hidden = suspended;
    ended.hidden = false;
    ended.focus();
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow) return;
    var m = e.data;
    if (!isObject(m) || m.wch !== 'scorm' || typeof m.type !== 'string') return;
    if (m.type === 'ready' && !launched) {
      launched = true;
      send({ type: 'launch', launch: data.launch });
    } else if (m.type === 'state') applyState(m);
    else if (m.type === 'refused') say(data.messages.refused);
    else if (m.type === 'error') say(data.messages.error);
    else if (m.type === 'ended') showEnded(m.reason);
    else if (m.type === 'finished' && finishing) window.location.assign(data.exitUrl);
  });

  previous.addEventListener('click', function () {
    send({ type: 'nav', request: 'previous' });
  });
  next.addEventListener('click', function () {
    send({ type: 'nav', request: 'continue' });
  });
  tocButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      if (b.getAttribute('aria-disabled') === 'true') return say(data.messages.refused);
      send({ type: 'nav', request: 'choice', target: b.getAttribute('data-sco') });
    });
  });
  exit.addEventListener('click', function () {
    if (finishing) return;
    finishing = true;
    exit.disabled = true;
    say(data.messages.saving);
    send({ type: 'finish', request: 'suspendAll' });
    // the player answers within a moment; leave anyway if it cannot (its final writes go by beacon)
    window.setTimeout(function () {
      window.location.assign(data.exitUrl);
    }, 4000);
  });

  frame.src = data.playerUrl;
})();
