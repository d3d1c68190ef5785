import assert from 'node:assert/strict';
import {
  applyChange,
  BadPointer,
  diff,
  flatten,
  pointerSegments,
} from '../../../src/modules/scorm/doc-patch.js';

describe('scorm: documents sent whole or as patches', () => {
  it('turns one document into another by the patch of their differences', () => {
    const from = { cmi: { location: '1', interactions: {}, score: { raw: '5' }, tags: ['a'] } };
    const to = {
      cmi: {
        location: '2',
        interactions: { '0': { id: 'q/1~x' } },
        score: {},
        tags: ['a', 'b'],
        suspend_data: 'z',
      },
    };
    const change = diff(from, to);
    assert.deepEqual(change.set, {
      '/cmi/location': '2',
      '/cmi/interactions/0/id': 'q/1~x',
      '/cmi/score': {},
      '/cmi/tags': ['a', 'b'],
      '/cmi/suspend_data': 'z',
    });
    assert.deepEqual(change.del.sort(), ['/cmi/interactions', '/cmi/score/raw']);
    assert.deepEqual(applyChange(from, change), to);
    assert.deepEqual(from.cmi.location, '1', 'the stored document is not touched');
  });

  it('escapes keys with / and ~ (RFC 6901)', () => {
    assert.deepEqual(Object.keys(flatten({ 'a/b': { 'c~d': 1 } })), ['/a~1b/c~0d']);
    assert.deepEqual(pointerSegments('/a~1b/c~0d'), ['a/b', 'c~d']);
  });

  it('replaces the whole document when asked', () => {
    assert.deepEqual(applyChange({ a: 1 }, { full: { b: 2 } }), { b: 2 });
  });

  it('refuses pointers that could reach a prototype, and malformed ones', () => {
    for (const p of ['/__proto__/polluted', '/a/constructor/prototype', 'no-slash'])
      assert.throws(() => applyChange({}, { set: { [p]: 1 } }), BadPointer);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
