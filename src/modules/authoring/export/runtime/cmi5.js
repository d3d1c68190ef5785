/* cmi5 adapter: reads the launch parameters, fetches the auth token once from the fetch URL, reads
   LMS.LaunchData from the State resource, and sends cmi5-defined statements (initialized, completed,
   passed/failed, terminated) with the context template, plus "answered" as cmi5-allowed statements. */
/* global window */
(function () {
  'use strict';
  var CMI5 = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
  var MOVEON = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
  var MASTERY = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
  var VERBS = {
    initialized: 'http://adlnet.gov/expapi/verbs/initialized',
    completed: 'http://adlnet.gov/expapi/verbs/completed',
    passed: 'http://adlnet.gov/expapi/verbs/passed',
    failed: 'http://adlnet.gov/expapi/verbs/failed',
    terminated: 'http://adlnet.gov/expapi/verbs/terminated',
    answered: 'http://adlnet.gov/expapi/verbs/answered',
  };
  var BOOKMARK = 'https://workcoophub.org/xapi/state/authored-progress';
  var q = new URLSearchParams(window.location.search);
  var launch = {
    endpoint: (q.get('endpoint') || '').replace(/\/?$/, '/'),
    fetchUrl: q.get('fetch'),
    registration: q.get('registration'),
    activityId: q.get('activityId'),
    actor: null,
  };
  try {
    launch.actor = JSON.parse(q.get('actor') || 'null');
  } catch {
    launch.actor = null;
  }
  var auth = null;
  var launchData = null;
  var startedAt = Date.now();
  var sent = { completed: false, passed: false, failedThisSession: false };
  var ended = false;

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map
      .call(b, function (x) {
        return (x + 0x100).toString(16).slice(1);
      })
      .join('');
    return (
      h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20)
    );
  }
  function headers(json) {
    var h = { Authorization: auth, 'X-Experience-API-Version': '1.0.3' };
    if (json) h['Content-Type'] = 'application/json';
    return h;
  }
  function stateUrl(stateId) {
    return (
      launch.endpoint +
      'activities/state?stateId=' +
      encodeURIComponent(stateId) +
      '&activityId=' +
      encodeURIComponent(launch.activityId) +
      '&agent=' +
      encodeURIComponent(JSON.stringify(launch.actor)) +
      '&registration=' +
      encodeURIComponent(launch.registration)
    );
  }
  function duration() {
    return 'PT' + (Math.round((Date.now() - startedAt) / 10) / 100).toFixed(2) + 'S';
  }
  function context(categories, extensions) {
    var c = JSON.parse(JSON.stringify((launchData && launchData.contextTemplate) || {}));
    c.registration = launch.registration;
    c.contextActivities = c.contextActivities || {};
    if (categories.length) {
      c.contextActivities.category = (c.contextActivities.category || []).concat(
        categories.map(function (id) {
          return { id: id, objectType: 'Activity' };
        }),
      );
    }
    if (extensions) {
      c.extensions = c.extensions || {};
      Object.keys(extensions).forEach(function (k) {
        c.extensions[k] = extensions[k];
      });
    }
    return c;
  }
  function statement(verb, result, categories, extensions, object) {
    var s = {
      id: uuid(),
      actor: launch.actor,
      verb: { id: VERBS[verb], display: { 'en-US': verb } },
      object: object || { objectType: 'Activity', id: launch.activityId },
      context: context(categories, extensions),
      timestamp: new Date().toISOString(),
    };
    if (result) s.result = result;
    return s;
  }
  function send(statements, keepalive) {
    return fetch(launch.endpoint + 'statements', {
      method: 'POST',
      headers: headers(true),
      body: JSON.stringify(statements),
      keepalive: !!keepalive,
    });
  }
  function normal() {
    return !launchData || !launchData.launchMode || launchData.launchMode === 'Normal';
  }
  function saveBookmark(r) {
    var body = JSON.stringify({ progress: r.state, sent: sent });
    return fetch(stateUrl(BOOKMARK), { method: 'PUT', headers: headers(true), body: body }).catch(
      function () {},
    );
  }
  function interactionType(qn) {
    return qn.type === 'short' ? 'fill-in' : qn.type === 'truefalse' ? 'true-false' : 'choice';
  }

  window.WCH_ADAPTER = {
    start: function () {
      if (!launch.fetchUrl || !launch.actor || !launch.activityId) return { noLms: true, state: null };
      return fetch(launch.fetchUrl, { method: 'POST' })
        .then(function (res) {
          return res.json();
        })
        .then(function (body) {
          if (!body['auth-token']) throw new Error('no auth-token');
          auth = 'Basic ' + body['auth-token'];
          return fetch(stateUrl('LMS.LaunchData'), { headers: headers(false) });
        })
        .then(function (res) {
          return res.json();
        })
        .then(function (ld) {
          launchData = ld;
          return fetch(stateUrl(BOOKMARK), { headers: headers(false) }).then(
            function (res) {
              return res.ok ? res.json() : null;
            },
            function () {
              return null;
            },
          );
        })
        .then(function (saved) {
          if (saved && saved.sent)
            sent = {
              completed: !!saved.sent.completed,
              passed: !!saved.sent.passed,
              failedThisSession: false,
            };
          return send([statement('initialized', null, [CMI5])]).then(function () {
            return { state: saved ? saved.progress : null };
          });
        });
    },
    answered: function (qn, o, quiz) {
      if (!auth) return;
      var definition = {
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        name: { und: qn.prompt.slice(0, 200) || '-' },
        interactionType: interactionType(qn),
        correctResponsesPattern:
          qn.type === 'short'
            ? qn.accepted.map(function (a) {
                return '{case_matters=false}' + a;
              })
            : [
                qn.options
                  .filter(function (x) {
                    return x.correct;
                  })
                  .map(function (x) {
                    return x.id;
                  })
                  .join('[,]'),
              ],
      };
      if (qn.type === 'single' || qn.type === 'multiple') {
        definition.choices = qn.options.map(function (x) {
          return { id: x.id, description: { und: x.text || x.id } };
        });
      }
      var s = statement('answered', { response: o.response.join('[,]'), success: o.correct }, [], null, {
        objectType: 'Activity',
        id: launch.activityId + '/quizzes/' + quiz.id + '/questions/' + qn.id,
        definition: definition,
      });
      s.context.contextActivities.parent = [{ id: launch.activityId, objectType: 'Activity' }];
      send([s]);
    },
    progress: function (r) {
      if (!auth) return;
      var batch = [];
      if (normal() && r.completed) {
        if (!sent.completed) {
          batch.push(statement('completed', { completion: true, duration: duration() }, [CMI5, MOVEON]));
          sent.completed = true;
        }
        if (r.hasQuizzes && !sent.passed) {
          var mastery =
            launchData && typeof launchData.masteryScore === 'number' ? launchData.masteryScore : null;
          var pass = mastery === null ? r.passed : r.scaled >= mastery;
          var ext = mastery === null ? null : {};
          if (ext) ext[MASTERY] = mastery;
          var result = {
            score: { scaled: Math.round(r.scaled * 10000) / 10000 },
            success: pass,
            duration: duration(),
          };
          if (pass) {
            batch.push(statement('passed', result, [CMI5, MOVEON], ext));
            sent.passed = true;
          } else if (!sent.failedThisSession) {
            batch.push(statement('failed', result, [CMI5, MOVEON], ext));
            sent.failedThisSession = true;
          }
        }
      }
      if (batch.length) send(batch);
      saveBookmark(r);
    },
    finish: function (r) {
      if (!auth || ended) return;
      ended = true;
      saveBookmark(r);
      send([statement('terminated', { duration: duration() }, [CMI5])], true);
    },
    exit: function () {
      if (launchData && launchData.returnURL) window.location.assign(launchData.returnURL);
    },
  };
})();
