import type { AppContext } from '../../../src/platform/context.js';
import { tempFile, zipBuffer } from '../../integration/packages/helpers.js';
import { generatedManifest, scormCourseFromZip } from '../../integration/scorm/helpers.js';

// A SCO of the closing-path tests, made by the tests: it initializes on load and then calls the API only in
// its `onunload` handler, where it writes its data and then terminates (LMSFinish / Terminate) itself, as much
// real content does. What it writes there depends on `?mode=` (the item's parameters):
// - `unload`: the bookmark (`unload-<page>`), suspend data, exit = suspend, session time and status;
// - `burst`: exactly 500 SetValue calls, among them 50 interactions appended at `cmi.interactions._count`;
// - `big` (SCORM 2004): 64,000 characters of suspend data, most of them beyond ASCII (two or three bytes each);
// - `fill`: as `unload`, after "Save notes" wrote those 64,000 characters during the session (without a commit).
// Whatever the mode, its last write is a summary the tests read back: how many SetValue calls it made and
// which of them failed (with the error code), and `_count` of the interactions as the API answered it.

export type ClosingMode = 'unload' | 'burst' | 'big' | 'fill';

export const BURST_CALLS = 500;
export const BURST_INTERACTIONS = 50;
export const BIG_SUSPEND_CHARS = 64_000;

const BIG_UNIT = 'Grüße aus Łódź – 東京の夜 – Ωμέγα ✓ ';

/** The 64,000 characters of `big`: learner notes in several scripts, repeated; the SCO builds the same. */
export const bigSuspendData = () =>
  BIG_UNIT.repeat(Math.ceil(BIG_SUSPEND_CHARS / BIG_UNIT.length)).slice(0, BIG_SUSPEND_CHARS);

/** A string literal for the SCO's script in ASCII only (\u escapes), whatever charset it is served with. */
const asciiJs = (s: string) =>
  JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

const SCO_JS = `(function () {
  var mode = (/[?&]mode=([a-z]+)/.exec(location.search) || [])[1] || 'unload';
  var v2004 = !!window.parent.API_1484_11;
  var api = v2004 ? window.parent.API_1484_11 : window.parent.API;
  var F = v2004
    ? { init: 'Initialize', fin: 'Terminate', get: 'GetValue', set: 'SetValue', err: 'GetLastError' }
    : { init: 'LMSInitialize', fin: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', err: 'LMSGetLastError' };
  var K = v2004
    ? { loc: 'cmi.location', exit: 'cmi.exit', time: 'cmi.session_time', status: 'cmi.completion_status',
        response: 'learner_response', score: 'cmi.score.raw' }
    : { loc: 'cmi.core.lesson_location', exit: 'cmi.core.exit', time: 'cmi.core.session_time',
        status: 'cmi.core.lesson_status', response: 'student_response', score: 'cmi.core.score.raw' };
  var calls = 0;
  var failures = [];
  function set(k, v) {
    calls += 1;
    var r = api[F.set](k, v);
    if (String(r) !== 'true') failures.push(k + ':' + api[F.err]());
  }
  var page = 0;
  var started = String(api[F.init]('')) === 'true';
  document.getElementById('state').textContent = started ? 'started' : 'not started';
  document.getElementById('next').addEventListener('click', function () {
    page += 1;
    document.getElementById('page').textContent = String(page);
  });
  document.getElementById('notes').addEventListener('click', function () {
    set('cmi.suspend_data', BIG());
    document.getElementById('saved').textContent = 'saved';
  });

  function burst() {
    for (var i = 0; i < ${BURST_INTERACTIONS}; i++) {
      var n = api[F.get]('cmi.interactions._count');
      var at = 'cmi.interactions.' + n + '.';
      set(at + 'id', 'q' + i);
      set(at + 'type', 'choice');
      set(at + 'correct_responses.0.pattern', 'a');
      set(at + K.response, i % 3 ? 'a' : 'b');
      set(at + 'result', i % 3 ? 'correct' : (v2004 ? 'incorrect' : 'wrong'));
      set(at + 'weighting', '1');
      set(at + 'latency', v2004 ? 'PT' + (i + 1) + 'S' : '00:00:' + (i < 9 ? '0' : '') + (i + 1));
    }
    // the rest of the 500: a score the SCO keeps raising, as a test being marked question by question
    while (calls < ${BURST_CALLS} - 5) set(K.score, String(calls % 101));
    set(K.loc, 'burst-' + page);
  }

  window.addEventListener('unload', function () {
    if (mode === 'burst') burst();
    else if (mode === 'big') set('cmi.suspend_data', BIG());
    if (mode !== 'burst') set(K.loc, 'unload-' + page);
    set(K.exit, 'suspend');
    set(K.time, v2004 ? 'PT42S' : '00:00:42');
    set(K.status, 'incomplete');
    var summary = 'calls=' + (calls + 1) + ' count=' + api[F.get]('cmi.interactions._count') +
      ' failures=' + (failures.join(',') || 'none');
    if (mode === 'big' || mode === 'fill') set('cmi.comments_from_learner.0.comment', summary);
    else set('cmi.suspend_data', summary);
    api[F.fin]('');
  });

  function BIG() {
    var unit = ${asciiJs(BIG_UNIT)};
    var s = '';
    while (s.length < ${BIG_SUSPEND_CHARS}) s += unit;
    return s.slice(0, ${BIG_SUSPEND_CHARS});
  }
})();`;

const SCO_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Closing lesson</title></head>
<body><h1>Closing lesson</h1>
<p>API: <span id="state">loading</span> · Page: <span id="page">0</span></p>
<p>Notes: <span id="saved">not saved</span></p>
<button type="button" id="next">Next page</button> <button type="button" id="notes">Save notes</button>
<script src="sco.js"></script></body></html>`;

/** A one-SCO package whose SCO writes only in `onunload`, in `mode`, as a course of its own. */
export async function closingCourse(
  ctx: Pick<AppContext, 'db' | 'config'>,
  version: '1.2' | '2004',
  mode: ClosingMode,
) {
  const zip = await zipBuffer([
    {
      name: 'imsmanifest.xml',
      data: generatedManifest({ version, parameters: `?mode=${mode}`, title: `Closing ${mode} ${version}` }),
    },
    { name: 'sco.html', data: SCO_HTML },
    { name: 'sco.js', data: SCO_JS },
  ]);
  return scormCourseFromZip(ctx, tempFile(zip, `closing-${mode}-${version}.zip`));
}
