/* WorkCoopHub course runtime: lessons one at a time, quizzes scored in the page, results reported
   through window.WCH_ADAPTER (SCORM 1.2, SCORM 2004, cmi5, or none for the plain HTML export). */
/* global window, document */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('course-data').textContent);
  var L = data.labels;
  var noop = function () {};
  var adapter = window.WCH_ADAPTER || {};
  ['answered', 'progress', 'finish'].forEach(function (k) {
    if (typeof adapter[k] !== 'function') adapter[k] = noop;
  });
  var lessons = Array.prototype.slice.call(document.querySelectorAll('section.lesson'));
  var statusEl = document.getElementById('status');
  var state = { done: [], quizzes: {}, at: null };
  var current = null;
  var finished = false;

  function say(text) {
    statusEl.textContent = text;
  }
  function normalise(s) {
    return String(s).normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  }
  function quizById(id) {
    return data.quizzes.filter(function (q) {
      return q.id === id;
    })[0];
  }
  function lessonData(id) {
    return data.lessons.filter(function (l) {
      return l.id === id;
    })[0];
  }

  /** Same rules as the platform: all correct options and no other; short answers trimmed, any case. */
  function scoreQuestion(q, answer) {
    var list = answer == null ? [] : Array.isArray(answer) ? answer : [answer];
    if (q.type === 'short') {
      var text = (list[0] || '').trim();
      var ok =
        text !== '' &&
        q.accepted.some(function (a) {
          return normalise(a) === normalise(text);
        });
      return {
        response: text ? [text] : [],
        correct: ok,
        feedback: [ok ? q.feedbackCorrect : q.feedbackIncorrect].filter(Boolean),
      };
    }
    var ids = q.options.map(function (o) {
      return o.id;
    });
    var chosen = ids.filter(function (id) {
      return list.indexOf(id) >= 0;
    });
    if (q.type !== 'multiple') chosen = chosen.slice(0, 1);
    var wanted = q.options
      .filter(function (o) {
        return o.correct;
      })
      .map(function (o) {
        return o.id;
      });
    var correct =
      chosen.length > 0 &&
      chosen.length === wanted.length &&
      wanted.every(function (id) {
        return chosen.indexOf(id) >= 0;
      });
    var feedback = q.options
      .filter(function (o) {
        return chosen.indexOf(o.id) >= 0 && o.feedback;
      })
      .map(function (o) {
        return o.feedback;
      });
    var general = correct ? q.feedbackCorrect : q.feedbackIncorrect;
    if (general) feedback.push(general);
    return { response: chosen, correct: correct, feedback: feedback };
  }

  function scoreQuiz(quiz, answers) {
    var outcomes = quiz.questions.map(function (q) {
      return scoreQuestion(q, answers[q.id]);
    });
    var right = outcomes.filter(function (o) {
      return o.correct;
    }).length;
    var scaled = quiz.questions.length ? right / quiz.questions.length : 0;
    return {
      outcomes: outcomes,
      correctCount: right,
      total: quiz.questions.length,
      scaled: scaled,
      passed: Math.round(scaled * 10000) >= quiz.passMark * 100,
    };
  }

  /** Where the learner stands, as every adapter reports it. */
  function report() {
    var done = data.lessons.filter(function (l) {
      return state.done.indexOf(l.id) >= 0;
    }).length;
    var hasQuizzes = data.quizzes.length > 0;
    var sum = 0;
    var allPassed = true;
    data.quizzes.forEach(function (q) {
      var r = state.quizzes[q.id];
      sum += r ? r.scaled : 0;
      if (!r || !r.passed) allPassed = false;
    });
    return {
      percent: data.lessons.length ? Math.round((done / data.lessons.length) * 100) : 100,
      completed: done === data.lessons.length,
      hasQuizzes: hasQuizzes,
      anyQuiz: Object.keys(state.quizzes).length > 0,
      scaled: hasQuizzes ? sum / data.quizzes.length : null,
      passed: hasQuizzes ? allPassed : null,
      location: current,
      state: JSON.stringify(state),
    };
  }

  function show(id, focus) {
    current = id;
    state.at = id;
    lessons.forEach(function (s) {
      s.hidden = s.getAttribute('data-lesson') !== id;
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-lesson-link]'), function (a) {
      if (a.getAttribute('data-lesson-link') === id) a.setAttribute('aria-current', 'step');
      else a.removeAttribute('aria-current');
    });
    var index = data.lessons
      .map(function (l) {
        return l.id;
      })
      .indexOf(id);
    var section = document.getElementById('lesson-' + id);
    section.querySelector('[data-action="previous"]').hidden = index === 0;
    if (focus) document.getElementById('title-' + id).focus();
  }

  function markDone(id) {
    var lesson = lessonData(id);
    var missing = lesson.quizzes.filter(function (q) {
      return !state.quizzes[q];
    });
    if (missing.length) {
      say(L.answerAll);
      var form = document.querySelector('form[data-quiz="' + missing[0] + '"] input');
      if (form) form.focus();
      return false;
    }
    if (state.done.indexOf(id) < 0) state.done.push(id);
    var r = report();
    adapter.progress(r);
    say(r.completed ? L.completed : L.progress.replace('{{percent}}', String(r.percent)));
    return true;
  }

  function onQuiz(form) {
    var quiz = quizById(form.getAttribute('data-quiz'));
    var answers = {};
    quiz.questions.forEach(function (q) {
      var inputs = form.querySelectorAll('[name="q_' + q.id + '"]');
      var values = [];
      Array.prototype.forEach.call(inputs, function (i) {
        if (i.type === 'text') values.push(i.value);
        else if (i.checked) values.push(i.value);
      });
      answers[q.id] = q.type === 'multiple' ? values : values[0];
    });
    var out = scoreQuiz(quiz, answers);
    quiz.questions.forEach(function (q, i) {
      var o = out.outcomes[i];
      var box = document.getElementById('fb-' + q.id);
      box.textContent = '';
      var head = document.createElement('p');
      head.className = o.correct ? 'ok' : 'wrong';
      head.textContent = o.correct ? L.correct : L.incorrect;
      box.appendChild(head);
      o.feedback.forEach(function (f) {
        var p = document.createElement('p');
        p.textContent = f;
        box.appendChild(p);
      });
      adapter.answered(q, o, quiz);
    });
    state.quizzes[quiz.id] = { scaled: out.scaled, passed: out.passed };
    var percent = Math.round(out.scaled * 100);
    form.querySelector('.quiz-result').textContent =
      L.score.replace('{{score}}', String(percent)) + ' ' + (out.passed ? L.passed : L.failed);
    adapter.progress(report());
  }

  function finish() {
    if (finished) return;
    finished = true;
    adapter.finish(report());
  }

  document.addEventListener('submit', function (e) {
    var form = e.target.closest('form[data-quiz]');
    if (!form) return;
    e.preventDefault();
    onQuiz(form);
  });
  document.addEventListener('click', function (e) {
    var link = e.target.closest('[data-lesson-link]');
    if (link) {
      e.preventDefault();
      show(link.getAttribute('data-lesson-link'), true);
      return;
    }
    var button = e.target.closest('[data-action]');
    if (!button) return;
    var ids = data.lessons.map(function (l) {
      return l.id;
    });
    var i = ids.indexOf(current);
    if (button.getAttribute('data-action') === 'previous' && i > 0) show(ids[i - 1], true);
    if (button.getAttribute('data-action') === 'next' && markDone(current) && i < ids.length - 1)
      show(ids[i + 1], true);
    if (button.getAttribute('data-action') === 'exit') {
      finish();
      if (adapter.exit) adapter.exit();
    }
  });
  window.addEventListener('pagehide', finish);
  window.addEventListener('beforeunload', finish);

  function begin(saved) {
    if (saved && saved.state) {
      try {
        var s = JSON.parse(saved.state);
        if (s && Array.isArray(s.done)) state = { done: s.done, quizzes: s.quizzes || {}, at: s.at || null };
      } catch {
        state = { done: [], quizzes: {}, at: null };
      }
    }
    if (saved && saved.noLms) say(L.noLms);
    if (adapter.exit) {
      var exit = document.createElement('button');
      exit.type = 'button';
      exit.setAttribute('data-action', 'exit');
      exit.textContent = L.exit;
      document.querySelector('.course-head').appendChild(exit);
    }
    var first = data.lessons.length ? data.lessons[0].id : null;
    var at = state.at && lessonData(state.at) ? state.at : first;
    if (at) show(at, false);
    document.body.classList.add('js');
  }

  var started = adapter.start ? adapter.start() : null;
  if (started && typeof started.then === 'function')
    started.then(begin, function () {
      begin({ noLms: true });
    });
  else begin(started);
})();
