// The H5P player page on the content origin: runs h5p-standalone, sends every xAPI statement of the content
// to the LMS with the launch's token, lets H5P save its user data there every few seconds, saves it once
// more on leaving (sendBeacon), and tells the LMS page its size and status by postMessage.
(function () {
  'use strict';
  var configEl = document.getElementById('h5p-config');
  if (!configEl) return;
  var config = JSON.parse(configEl.textContent);
  var statusEl = document.getElementById('h5p-player-status');
  var container = document.getElementById('h5p-container');
  document.documentElement.style.margin = '0';
  document.body.style.margin = '0';

  // Browsers that block third-party storage throw on `localStorage`, which H5P core reads; content gets a
  // storage that lasts as long as the page (H5P's clipboard and request queue only).
  function memoryStorage() {
    var items = new Map();
    return {
      get length() {
        return items.size;
      },
      key: function (i) {
        return Array.from(items.keys())[i] || null;
      },
      getItem: function (k) {
        return items.has(String(k)) ? items.get(String(k)) : null;
      },
      setItem: function (k, v) {
        items.set(String(k), String(v));
      },
      removeItem: function (k) {
        items.delete(String(k));
      },
      clear: function () {
        items.clear();
      },
    };
  }
  function ensureStorage(win) {
    ['localStorage', 'sessionStorage'].forEach(function (name) {
      try {
        if (win[name]) return;
      } catch {
        // denied: replaced below
      }
      try {
        var storage = memoryStorage();
        Object.defineProperty(win, name, {
          configurable: true,
          get: function () {
            return storage;
          },
        });
      } catch {
        // left as it is
      }
    });
  }
  ensureStorage(window);
  // H5P writes its content frame's document itself: give that window a storage as soon as it exists.
  new MutationObserver(function () {
    container.querySelectorAll('iframe').forEach(function (frame) {
      if (frame.contentWindow) ensureStorage(frame.contentWindow);
    });
  }).observe(container, { childList: true, subtree: true });

  function tell(message) {
    if (window.parent === window) return;
    message.type = 'wch-h5p';
    window.parent.postMessage(message, config.lmsOrigin);
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map
      .call(b, function (x) {
        return (x + 256).toString(16).slice(1);
      })
      .join('');
    return (
      h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20)
    );
  }

  // ---- statements: queued, posted in order as text/plain (no CORS preflight), retried on network errors ----
  var queue = [];
  var sending = false;
  var KEEPALIVE_MAX = 60000;

  function flush() {
    if (sending || !queue.length) return;
    sending = true;
    var batch = queue.splice(0, 50);
    var body = JSON.stringify(batch);
    fetch(config.statementsUrl, {
      method: 'POST',
      mode: 'cors',
      credentials: 'omit',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: body,
      keepalive: body.length < KEEPALIVE_MAX,
    })
      .then(function (res) {
        sending = false;
        if (res.status >= 500 || res.status === 429) {
          queue = batch.concat(queue);
          setTimeout(flush, 5000);
          return;
        }
        if (res.status === 401) tell({ event: 'expired' });
        flush();
      })
      .catch(function () {
        sending = false;
        queue = batch.concat(queue);
        setTimeout(flush, 5000);
      });
  }

  function shortVerb(statement) {
    var id = statement.verb && typeof statement.verb.id === 'string' ? statement.verb.id : '';
    return id.slice(id.lastIndexOf('/') + 1);
  }

  function onStatement(event) {
    var original = event && event.data && event.data.statement;
    if (!original) return;
    var statement = JSON.parse(JSON.stringify(original));
    statement.id = newId();
    queue.push(statement);
    flush();
    setTimeout(takeState, 0);
    var verb = shortVerb(statement);
    var result = statement.result;
    var isMain = statement.object && statement.object.id === config.iri;
    if (isMain && result && (verb === 'completed' || verb === 'answered')) {
      var scaled = result.score && typeof result.score.scaled === 'number' ? result.score.scaled : null;
      tell({ event: 'status', verb: verb, scaled: scaled, success: result.success === true });
    }
  }

  // ---- user data: H5P saves it itself every saveFreq seconds; on leaving, one beacon with the current state ----
  function userDataUrl(dataType, subContentId) {
    return config.userDataUrl.replace(':dataType', dataType).replace(':subContentId', String(subContentId));
  }

  function contentFrameH5P() {
    var frame = container.querySelector('iframe.h5p-iframe');
    try {
      return frame && frame.contentWindow && frame.contentWindow.H5P ? frame.contentWindow.H5P : null;
    } catch {
      return null;
    }
  }

  // The latest state of each content, taken every second and after each statement: on leaving, the content
  // frame may already be gone, so the last one taken is what is sent.
  var latest = {};
  function takeState() {
    var H = contentFrameH5P();
    if (!H || !H.instances) return;
    H.instances.forEach(function (instance) {
      if (typeof instance.getCurrentState !== 'function') return;
      try {
        var state = instance.getCurrentState();
        if (state !== undefined) latest[instance.contentId] = JSON.stringify(state);
      } catch {
        // keep the last one taken
      }
    });
  }
  setInterval(takeState, 1000);

  function saveStateNow() {
    takeState();
    Object.keys(latest).forEach(function (contentId) {
      var form = new URLSearchParams();
      form.set('data', latest[contentId]);
      form.set('preload', '1');
      form.set('invalidate', '1');
      navigator.sendBeacon(userDataUrl('state', 0), form);
    });
  }

  var left = false;
  function leave() {
    if (left) return;
    left = true;
    saveStateNow();
    if (queue.length) {
      var body = new Blob([JSON.stringify(queue.splice(0))], { type: 'text/plain;charset=UTF-8' });
      navigator.sendBeacon(config.statementsUrl, body);
    }
  }
  window.addEventListener('pagehide', leave);
  window.addEventListener('pageshow', function () {
    left = false;
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') saveStateNow();
  });

  // ---- size: the LMS page sizes its frame to the content ----
  var lastHeight = 0;
  function reportSize() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height && height !== lastHeight) {
      lastHeight = height;
      tell({ event: 'resize', height: height });
    }
  }
  if (window.ResizeObserver) new ResizeObserver(reportSize).observe(document.body);
  window.addEventListener('load', reportSize);

  var options = {
    id: config.contentId,
    title: config.title,
    h5pJsonPath: config.h5pJsonPath,
    contentJsonPath: config.contentJsonPath,
    librariesPath: config.librariesPath,
    frameJs: config.frameJs,
    frameCss: config.frameCss,
    xAPIObjectIRI: config.iri,
    frame: false,
    copyright: false,
    export: false,
    embed: false,
    icon: false,
    fullScreen: true,
    user: config.user,
    saveFreq: config.saveFreq,
    ajax: { contentUserDataUrl: config.userDataUrl },
    assetsRequestFetchOptions: { credentials: 'same-origin' },
  };

  // H5P core reads the saved state synchronously when it creates the content: it must be given up front.
  function loadState() {
    return fetch(userDataUrl('state', 0), { mode: 'cors', credentials: 'omit' })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (body) {
        return body && body.success && typeof body.data === 'string' ? body.data : null;
      })
      .catch(function () {
        return null;
      });
  }

  loadState()
    .then(function (state) {
      if (state) options.contentUserData = [{ state: state }];
      return new window.H5PStandalone.H5P(container, options);
    })
    .then(function () {
      window.H5P.externalDispatcher.on('xAPI', onStatement);
      statusEl.hidden = true;
      statusEl.textContent = '';
      tell({ event: 'ready' });
      reportSize();
    })
    .catch(function () {
      statusEl.textContent = config.text.failed;
      tell({ event: 'error' });
    });
})();
