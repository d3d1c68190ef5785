// The SCORM player, served by the content origin and framed by the LMS page. It runs scorm-again's real
// Scorm12API / Scorm2004API in the same realm as the SCO (hosted in a nested frame), so every API call is
// answered synchronously and exactly. It commits straight to the LMS with the session token in the body
// (text/plain: no preflight, no cookie); the final commit of a closing page goes by sendBeacon.
// The LMS page and this page exchange only launch, navigation and status messages (origin and source checked).
(function () {
  'use strict';

  var LMS = document.documentElement.getAttribute('data-lms-origin');
  var stage = document.getElementById('sco-stage');
  var JSON_TYPE = 'text/plain;charset=UTF-8';
  document.documentElement.style.height = '100%';
  document.body.style.cssText = 'margin:0;height:100%;overflow:hidden;';
  stage.style.cssText = 'width:100%;height:100%;';

  var launch = null;
  var api = null;
  var v2004 = false;
  var q = 0;
  var currentSco = null;
  var scoFrame = null;
  var initialized = false;
  var terminated = false;
  var removing = false;
  var leaving = false;
  var leftDone = false;
  var sessionEnd = null;
  var validity = { continue: false, previous: false, choice: {}, jump: {}, hideLmsUi: [] };
  var ackedSco = null;
  var ackedSeq = null;
  var pendingCommit = null;
  var deliveryQueued = null;
  var deliveries = 0;
  var busy = false;
  var lastCommit = {};
  var terminating = Promise.resolve();

  // ---- small helpers

  function post(message) {
    message.wch = 'scorm';
    window.parent.postMessage(message, LMS);
  }

  function isPlainObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }

  function pointer(path) {
    return (
      '/' +
      path
        .map(function (s) {
          return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
        })
        .join('/')
    );
  }

  function flatten(doc, prefix, out) {
    Object.keys(doc).forEach(function (k) {
      var v = doc[k];
      var path = prefix.concat([k]);
      if (isPlainObject(v) && Object.keys(v).length) flatten(v, path, out);
      else out[pointer(path)] = v;
    });
    return out;
  }

  /** What changed since the document the server acknowledged: a patch, or the whole document. */
  function change(doc, acked) {
    if (!acked) return { full: doc };
    var a = flatten(acked, [], {});
    var b = flatten(doc, [], {});
    var set = {};
    var del = [];
    var n = 0;
    Object.keys(b).forEach(function (p) {
      if (!(p in a) || JSON.stringify(a[p]) !== JSON.stringify(b[p])) {
        set[p] = b[p];
        n++;
      }
    });
    Object.keys(a).forEach(function (p) {
      if (!(p in b)) del.push(p);
    });
    if (!n && !del.length) return null;
    var c = {};
    if (n) c.set = set;
    if (del.length) c.del = del;
    return c;
  }

  function clone(v) {
    return JSON.parse(JSON.stringify(v));
  }

  // ---- transport to the LMS (/scorm/runtime)

  function request(op, extra) {
    q += 1;
    var p = { t: launch.token, q: q, op: op };
    if (op === 'commit' && extra && extra.sco) lastCommit[extra.sco] = q;
    Object.keys(extra || {}).forEach(function (k) {
      if (extra[k] !== undefined && extra[k] !== null) p[k] = extra[k];
    });
    return p;
  }

  function parseResponse(status, text) {
    var body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    var ok = status === 200 && body && body.result === true;
    return { ok: ok, body: body || {} };
  }

  function sendSync(p) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', launch.runtimeUrl, false);
    xhr.setRequestHeader('Content-Type', JSON_TYPE);
    try {
      xhr.send(JSON.stringify(p));
    } catch {
      return { ok: false, body: {} };
    }
    return parseResponse(xhr.status, xhr.responseText);
  }

  function sendAsync(p) {
    return fetch(launch.runtimeUrl, {
      method: 'POST',
      body: JSON.stringify(p),
      headers: { 'Content-Type': JSON_TYPE },
      credentials: 'omit',
      mode: 'cors',
    }).then(
      function (r) {
        return r.text().then(function (t) {
          return parseResponse(r.status, t);
        });
      },
      function () {
        return { ok: false, body: {} };
      },
    );
  }

  // A closing page may have at most 64 KiB of beacons in flight per document: the player's own budget is left
  // to scorm-again's final commit, and the player's beacons go through hidden blank frames ("couriers"), each a
  // document with a budget of its own. A request larger than one beacon goes in parts the LMS puts together.
  var BEACON_BUDGET = 65536;
  var PART_BYTES = 48000;
  var MAX_PARTS = 16;
  var couriers = [];

  function addCouriers() {
    var box = document.createElement('div');
    box.hidden = true;
    box.setAttribute('aria-hidden', 'true');
    for (var i = 0; i < 6; i++) {
      var f = document.createElement('iframe');
      f.tabIndex = -1;
      box.appendChild(f);
      couriers.push({ frame: f, sent: [] });
    }
    // after the stage: in a closing page the frames unload in document order, the SCO's first
    document.body.appendChild(box);
  }

  function inFlight(c, now) {
    c.sent = c.sent.filter(function (s) {
      return now - s.at < 10000;
    });
    return c.sent.reduce(function (n, s) {
      return n + s.bytes;
    }, 0);
  }

  function beaconOne(body) {
    var blob = new Blob([body], { type: JSON_TYPE });
    var now = Date.now();
    var best = null;
    couriers.forEach(function (c) {
      if (!best || inFlight(c, now) < inFlight(best, now)) best = c;
    });
    try {
      if (best && BEACON_BUDGET - inFlight(best, now) >= blob.size) {
        var ok = best.frame.contentWindow.navigator.sendBeacon(launch.runtimeUrl, blob);
        if (ok) {
          best.sent.push({ bytes: blob.size, at: now });
          return true;
        }
      }
    } catch {
      /* a courier already gone: the player's own beacon below */
    }
    return navigator.sendBeacon(launch.runtimeUrl, blob);
  }

  /** Bytes a character costs in the UTF-8 of a JSON string (a surrogate pair: 4, counted on its first half). */
  function jsonBytes(c) {
    if (c === 34 || c === 92) return 2;
    if (c < 32) return 6;
    if (c < 0x80) return 1;
    if (c < 0x800) return 2;
    if (c >= 0xd800 && c < 0xdc00) return 4;
    if (c >= 0xdc00 && c < 0xe000) return 0;
    return 3;
  }

  /** The request as beacon bodies: itself, or parts of its JSON text that each fit in one beacon. */
  function beaconBodies(p) {
    var text = JSON.stringify(p);
    if (new Blob([text]).size <= PART_BYTES) return [text];
    var pieces = [];
    var start = 0;
    var bytes = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      var cost = jsonBytes(c);
      if (bytes + cost > PART_BYTES && cost > 0) {
        pieces.push(text.slice(start, i));
        start = i;
        bytes = 0;
      }
      bytes += cost;
    }
    pieces.push(text.slice(start));
    if (pieces.length > MAX_PARTS) return [text];
    return pieces.map(function (d, n) {
      return JSON.stringify({ t: p.t, q: p.q, op: 'part', part: { i: n, n: pieces.length, data: d } });
    });
  }

  function sendBeacon(p) {
    return beaconBodies(p)
      .map(beaconOne)
      .every(function (ok) {
        return ok;
      });
  }

  /** Leaving: the beacon (it survives the page); else a request whose answer acknowledges what it carried. */
  function sendState(p, seqDoc) {
    if (leaving) return Promise.resolve(sendBeacon(p));
    return sendAsync(p).then(function (r) {
      if (r.ok && seqDoc) ackedSeq = seqDoc;
      return r;
    });
  }

  // ---- sequencing state (SCORM 2004)

  function seqDoc() {
    if (!v2004) return null;
    try {
      return JSON.parse(api.serializeSequencingState());
    } catch {
      return null;
    }
  }

  /** The sequencer's view of an activity, in the LMS's terms. */
  function trackedStatus(t) {
    return {
      completion:
        t.completionStatus === 'completed'
          ? 'completed'
          : t.completionStatus === 'incomplete'
            ? 'incomplete'
            : 'unknown',
      success: t.successStatus === 'passed' ? 'passed' : t.successStatus === 'failed' ? 'failed' : 'unknown',
    };
  }

  function tracking() {
    if (!v2004) return undefined;
    var out = {};
    launch.order.forEach(function (id) {
      var t = api.getActivityTrackingData(id);
      if (!t) return;
      out[id] = trackedStatus(t);
      // read after this commit of the SCO: the LMS weighs it once that commit is stored
      out[id].after = lastCommit[id];
    });
    return out;
  }

  /** The rollup of the whole package (the root of the activity tree), with its measure as the score. */
  function rootTracking() {
    var t = launch.tree && api.getActivityTrackingData(launch.tree.id);
    if (!t) return undefined;
    var root = trackedStatus(t);
    if (typeof t.score === 'number' && t.score >= -1 && t.score <= 1) root.score = t.score;
    return root;
  }

  function stateRequest(op, extra) {
    var doc = seqDoc();
    var p = request(op, extra);
    if (doc) {
      var c = change(doc, ackedSeq);
      if (c) p.seq = c;
      p.tracking = tracking();
      p.root = rootTracking();
    }
    return { p: p, doc: doc };
  }

  // ---- commits made by scorm-again (settings from STACK-NOTES; the request handler adds token and order)

  function requestHandler(commitObject, meta) {
    var doc = { cmi: clone(commitObject.cmi || {}) };
    var terminate = Boolean(meta && meta.isTerminateCommit);
    var c = change(doc, ackedSco);
    var p;
    var seq = null;
    if (terminate) {
      // the sequencing state changes only once Terminate has run: it follows in its own request,
      // and this commit (a beacon, at most 64 KiB) carries only the SCO's last writes
      p = request('commit', { sco: currentSco, end: true });
    } else {
      var s = stateRequest('commit', { sco: currentSco });
      p = s.p;
      seq = s.doc;
    }
    if (c) p.cmi = c;
    pendingCommit = { q: p.q, doc: doc, seq: seq };
    if (!terminate) return p;
    // scorm-again beacons this commit, and a beacon may arrive after the next SCO's delivery: while the page
    // stays, the same request goes by fetch too, awaited before the next step (the LMS applies a q once)
    if (!leaving) terminating = sendAsync(p);
    // scorm-again sends the final commit by beacon: a large one goes in parts, the last of them by its beacon
    var bodies = beaconBodies(p);
    bodies.slice(0, -1).forEach(beaconOne);
    return JSON.parse(bodies[bodies.length - 1]);
  }

  function xhrResponseHandler(xhr) {
    var r = parseResponse(xhr.status, xhr.responseText);
    if (r.ok && pendingCommit) {
      ackedSco = pendingCommit.doc;
      if (pendingCommit.seq) ackedSeq = pendingCommit.seq;
    }
    pendingCommit = null;
    report();
    return { result: r.ok ? 'true' : 'false', errorCode: r.ok ? 0 : 391 };
  }

  function settings() {
    var s = {
      lmsCommitUrl: launch.runtimeUrl,
      dataCommitFormat: 'json',
      commitRequestDataType: JSON_TYPE,
      terminationCommitContentType: JSON_TYPE,
      xhrWithCredentials: false,
      useAsynchronousCommits: false,
      autocommit: true,
      autocommitSeconds: 3,
      logLevel: 5,
      requestHandler: requestHandler,
      xhrResponseHandler: xhrResponseHandler,
    };
    if (v2004) {
      s.sequencing = {
        activityTree: launch.tree,
        eventListeners: {
          onActivityDelivery: function (activity) {
            queueDelivery(activity.id);
          },
          onNavigationValidityUpdate: function (v) {
            validity = v;
            report();
          },
          onSequencingSessionEnd: function (d) {
            sessionEnd = (d && d.reason) || 'exit_all';
          },
        },
      };
    }
    return s;
  }

  // ---- the API, wrapped only to learn when a SCO initializes and terminates

  function wrap(name, after, before) {
    var original = api[name];
    api[name] = function (a, b) {
      if (before) before(a, b);
      var result = original.call(api, a, b);
      after(result, a, b);
      return result;
    };
  }

  // SCORM 1.2: a SCO that never sets lesson_status is completed when it finishes (RTE 3.4.4)
  var statusSet = false;
  function completeUnlessSet() {
    if (statusSet || !initialized || terminated) return;
    var status = (api.renderCommitCMI(false).cmi || {}).core || {};
    if (!status.lesson_status || status.lesson_status === 'not attempted')
      api.cmi.core.lesson_status = 'completed';
  }

  function createApi() {
    v2004 = launch.version === '2004';
    var Ctor = v2004 ? window.Scorm2004API : window.Scorm12API;
    api = new Ctor(settings());
    var onInit = function (result) {
      if (String(result) !== 'true' || !currentSco) return;
      initialized = true;
      sendSync(request('initialize', { sco: currentSco }));
      report();
    };
    var onTerminate = function (result) {
      if (String(result) !== 'true') return;
      terminated = true;
      afterTerminate();
    };
    if (v2004) {
      wrap('Initialize', onInit);
      wrap('Terminate', onTerminate);
      wrap('SetValue', commitSoon);
      window.API_1484_11 = api;
    } else {
      wrap('LMSInitialize', onInit);
      wrap('LMSFinish', onTerminate, completeUnlessSet);
      wrap('LMSSetValue', function (result, element, value) {
        if (element === 'cmi.core.lesson_status' && String(result) === 'true') statusSet = true;
        commitSoon(result, element, value);
      });
      window.API = api;
    }
  }

  function afterTerminate() {
    if (v2004) {
      // closing: the end request of left() carries the state; one beacon less within the 64 KiB quota
      if (!leaving) {
        var s = stateRequest('state', {});
        sendState(s.p, s.doc);
      }
      if (sessionEnd && !removing && !leaving) setTimeout(endSession, 0);
    } else if (!removing && !leaving) {
      // SCORM 1.2: a SCO that finishes by itself hands over to the next one, or ends the session
      var next = launch.order[launch.order.indexOf(currentSco) + 1];
      setTimeout(function () {
        if (next) deliver(next);
        else endSession();
      }, 0);
    }
    report();
  }

  // ---- delivering SCOs

  function queueDelivery(id) {
    deliveries += 1;
    deliveryQueued = id;
    setTimeout(function () {
      if (deliveryQueued === null) return;
      var next = deliveryQueued;
      deliveryQueued = null;
      deliver(next);
    }, 0);
  }

  /**
   * Unloads the SCO as a browser would (navigating its frame away fires its beforeunload and unload handlers,
   * where many SCOs set exit = suspend and terminate), then removes the frame.
   */
  function removeSco() {
    var frame = scoFrame;
    if (!frame) return terminating;
    removing = true;
    return new Promise(function (resolve) {
      var done = false;
      function gone() {
        if (done) return;
        done = true;
        frame.remove();
        if (scoFrame === frame) scoFrame = null;
        removing = false;
        terminating.then(function () {
          resolve();
        });
      }
      frame.addEventListener('load', gone);
      setTimeout(gone, 3000);
      try {
        frame.contentWindow.location.replace('about:blank');
      } catch {
        gone();
      }
    });
  }

  function deliver(id) {
    var sco = launch.scos[id];
    if (!sco) return Promise.resolve();
    var s;
    return removeSco()
      .then(function () {
        s = stateRequest('deliver', { sco: id });
        return sendAsync(s.p);
      })
      .then(function (r) {
        if (!r.ok) {
          post({ type: 'error', code: 'deliver' });
          return;
        }
        if (s.doc) ackedSeq = s.doc;
        api.reset();
        api.loadFromJSON(r.body.cmi || {});
        ackedSco = clone(r.body.cmi || {});
        currentSco = id;
        initialized = false;
        terminated = false;
        statusSet = false;
        sessionEnd = null;
        var frame = document.createElement('iframe');
        frame.title = sco.title;
        frame.setAttribute('allow', 'fullscreen; autoplay');
        frame.style.cssText = 'border:0;width:100%;height:100%;display:block;';
        frame.addEventListener('load', function () {
          watchSco(frame);
        });
        frame.src = launch.base + sco.href;
        stage.appendChild(frame);
        scoFrame = frame;
        report();
      });
  }

  /** The SCO's window unloads after its own handlers ran: finish for it only if it did not. */
  function watchSco(frame) {
    var win;
    try {
      win = frame.contentWindow;
      if (!win || win.location.href === 'about:blank') return;
    } catch {
      return;
    }
    win.addEventListener('unload', function () {
      if (frame !== scoFrame && !removing) return;
      if (initialized && !terminated) {
        if (removing || leaving) {
          var finish = v2004 ? api.Terminate : api.LMSFinish;
          finish.call(api, '');
        } else {
          // the SCO navigates within itself: keep its data, without ending its session
          flush();
        }
      }
      if (leaving) left();
    });
  }

  function flush() {
    var doc = { cmi: clone(api.renderCommitCMI(false).cmi || {}) };
    var c = change(doc, ackedSco);
    var s = stateRequest('commit', { sco: currentSco });
    if (c) s.p.cmi = c;
    sendBeacon(s.p);
  }

  // A large write (long suspend data) is committed at once, after the SCO's current task: a closing page then
  // has only the last small writes to send, and the browser may stop a closing frame's work at any moment.
  var BIG_WRITE = 4096;
  var commitQueued = false;

  function commitSoon(result, element, value) {
    if (String(result) !== 'true' || String(value).length < BIG_WRITE || commitQueued) return;
    commitQueued = true;
    setTimeout(function () {
      commitQueued = false;
      if (!initialized || terminated || leaving || removing) return;
      var doc = { cmi: clone(api.renderCommitCMI(false).cmi || {}) };
      var c = change(doc, ackedSco);
      if (!c) return;
      var s = stateRequest('commit', { sco: currentSco });
      s.p.cmi = c;
      if (sendSync(s.p).ok) {
        ackedSco = doc;
        if (s.doc) ackedSeq = s.doc;
      }
    }, 0);
  }

  // ---- navigation asked by the LMS page

  function firstLeaf() {
    return launch.order[0];
  }

  function navAllowed(request, target) {
    if (!v2004) {
      var at = launch.order.indexOf(currentSco);
      if (request === 'continue') return at >= 0 && at < launch.order.length - 1;
      if (request === 'previous') return at > 0;
      return request === 'choice' && launch.order.indexOf(target) >= 0;
    }
    if (request === 'continue') return Boolean(validity.continue);
    if (request === 'previous') return Boolean(validity.previous);
    if (request === 'choice') return validity.choice && validity.choice[target] === 'true';
    return false;
  }

  function navigate(request, target) {
    if (busy) return;
    if (!navAllowed(request, target)) {
      post({ type: 'refused', request: request, target: target });
      return;
    }
    busy = true;
    var at = launch.order.indexOf(currentSco);
    var before = deliveries;
    removeSco().then(function () {
      busy = false;
      if (!v2004) {
        deliver(
          request === 'continue'
            ? launch.order[at + 1]
            : request === 'previous'
              ? launch.order[at - 1]
              : target,
        );
      } else if (deliveries !== before || sessionEnd) {
        // the SCO's Terminate already sequenced (post-condition retry / exitParent, or its own adl.nav.request):
        // a second request would skip on from what that delivered
        return;
      } else if (!api.processNavigationRequest(request, target || undefined)) {
        post({ type: 'refused', request: request, target: target });
      }
    });
  }

  function endReason() {
    if (v2004) return sessionEnd || 'suspend_all';
    var core = (api.renderCommitCMI(false).cmi || {}).core || {};
    return core.exit === 'suspend' || launch.order.length > 1 ? 'suspend' : 'exit';
  }

  function endSession() {
    return removeSco().then(function () {
      var s = stateRequest('end', { reason: endReason() });
      return sendState(s.p, s.doc).then(function () {
        post({ type: 'ended', reason: s.p.reason });
      });
    });
  }

  /** The LMS page's exit: the SCO finishes, the sequencing session is suspended (or exited), then the page may go. */
  function finish(request) {
    busy = true;
    removeSco()
      .then(function () {
        if (v2004 && !sessionEnd) api.processNavigationRequest(request);
        var s = stateRequest('end', { reason: endReason() });
        return sendState(s.p, s.doc);
      })
      .then(function () {
        post({ type: 'finished' });
      });
  }

  /** The page goes away (tab closed, LMS page left or frame removed): suspend the session and say so by beacon. */
  function left() {
    if (leftDone || !launch || !api) return;
    leftDone = true;
    if (v2004 && !sessionEnd && currentSco) {
      try {
        api.processNavigationRequest('suspendAll');
      } catch {
        /* the state is sent below anyway */
      }
    }
    var s = stateRequest('end', { reason: endReason() });
    sendBeacon(s.p);
  }

  window.addEventListener('pagehide', function () {
    leaving = true;
    // no SCO window to wait for: end here (else the SCO's unload, which runs after this, does)
    if (!scoFrame || !initialized || terminated) left();
  });

  // ---- what the LMS page shows

  function report() {
    if (!launch || !api) return;
    var nav;
    if (v2004) {
      nav = {
        continue: Boolean(validity.continue),
        previous: Boolean(validity.previous),
        choice: validity.choice || {},
      };
    } else {
      var at = launch.order.indexOf(currentSco);
      var choice = {};
      launch.order.forEach(function (id) {
        choice[id] = 'true';
      });
      nav = { continue: at >= 0 && at < launch.order.length - 1, previous: at > 0, choice: choice };
    }
    post({
      type: 'state',
      current: currentSco,
      nav: nav,
      hide: (validity.hideLmsUi || []).slice(),
      statuses: tracking() || {},
    });
  }

  // ---- start

  function tryNavigation(requests) {
    for (var i = 0; i < requests.length; i++) {
      var r = requests[i];
      if (r[0] === 'choice' && !r[1]) continue;
      if (api.processNavigationRequest(r[0], r[1] || undefined)) return true;
    }
    return false;
  }

  function start(l) {
    launch = l;
    addCouriers();
    ackedSeq = isPlainObject(l.sequencing) ? l.sequencing : null;
    createApi();
    if (!v2004) {
      deliver(l.resumeSco && l.scos[l.resumeSco] ? l.resumeSco : firstLeaf());
      return;
    }
    if (ackedSeq) api.deserializeSequencingState(JSON.stringify(ackedSeq));
    var started = tryNavigation(
      ackedSeq
        ? [['resumeAll'], ['choice', l.resumeSco], ['start'], ['choice', firstLeaf()]]
        : [['start'], ['choice', firstLeaf()]],
    );
    if (!started) post({ type: 'error', code: 'start' });
  }

  function isLaunch(l) {
    return (
      isPlainObject(l) &&
      typeof l.token === 'string' &&
      typeof l.runtimeUrl === 'string' &&
      l.runtimeUrl.indexOf(LMS + '/') === 0 &&
      typeof l.base === 'string' &&
      isPlainObject(l.scos) &&
      Array.isArray(l.order) &&
      (l.version === '1.2' || l.version === '2004')
    );
  }

  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || e.origin !== LMS) return;
    var m = e.data;
    if (!isPlainObject(m) || m.wch !== 'scorm' || typeof m.type !== 'string') return;
    if (m.type === 'launch' && !launch && isLaunch(m.launch)) start(m.launch);
    else if (!launch) return;
    else if (m.type === 'nav' && typeof m.request === 'string')
      navigate(m.request, typeof m.target === 'string' ? m.target : null);
    else if (m.type === 'finish') finish(m.request === 'exitAll' ? 'exitAll' : 'suspendAll');
  });

  post({ type: 'ready' });
})();
