import assert from 'node:assert/strict';
import { sameStatement } from '../../../src/modules/lrs/statements.model.js';
import { checkStatementRules } from '../../../src/modules/lrs/statements.rules.js';
import { checkStatementShape } from '../../../src/modules/lrs/statements.schemas.js';

const s = {
  id: '6fbd600f-d17c-4c74-801a-2ec2e53231c7',
  actor: {
    objectType: 'Group',
    member: [{ mbox: 'mailto:a@EXAMPLE.org' }, { mbox: 'mailto:b@example.org' }],
  },
  verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { en: 'attended' } },
  object: { id: 'http://ex.org/a', definition: { name: { en: 'A' } } },
  context: { contextActivities: { parent: { id: 'http://ex.org/p' } } },
  timestamp: '2024-05-04T12:00:00-05:00',
};

describe('statement comparison and validation', () => {
  it('ignores what xAPI says is not significant', () => {
    const other = {
      ...s,
      actor: {
        objectType: 'Group',
        member: [{ mbox: 'mailto:b@example.org' }, { mbox: 'mailto:a@example.org' }],
      },
      verb: { id: s.verb.id },
      object: { id: 'http://ex.org/a' },
      context: { contextActivities: { parent: [{ id: 'http://ex.org/p' }] } },
      timestamp: '2024-05-04T17:00:00.000Z',
      stored: '2024-05-04T17:00:01Z',
      authority: { mbox: 'mailto:lrs@example.org' },
      version: '2.0.0',
    };
    assert.ok(sameStatement(s, other));
    assert.ok(!sameStatement(s, { ...s, verb: { id: 'http://ex.org/other' } }));
    assert.ok(!sameStatement(s, { ...s, result: { success: true } }));
  });

  it('validates shapes and rules of both versions', () => {
    assert.equal(checkStatementShape(s, '2.0.0'), null);
    assert.equal(checkStatementRules(s), null);
    assert.match(checkStatementShape({ ...s, verb: null }, '2.0.0') ?? '', /verb/);
    assert.match(
      checkStatementShape({ ...s, object: { objectType: 'StatementRef', id: 'x' } }, '1.0.3') ?? '',
      /object\.id/,
    );
    assert.match(checkStatementRules({ ...s, actor: { objectType: 'Group' } }) ?? '', /anonymous Group/);
    assert.match(
      checkStatementShape({ ...s, timestamp: '2024-05-04T12:00:00-00:00' }, '2.0.0') ?? '',
      /timestamp/,
    );
    const oauth = {
      objectType: 'Group',
      member: [{ account: { homePage: 'http://a.org', name: 'app' } }, { mbox: 'mailto:u@a.org' }],
    };
    assert.equal(checkStatementRules({ ...s, authority: oauth }), null);
    assert.match(
      checkStatementRules({ ...s, authority: { ...oauth, member: oauth.member.slice(1) } }) ?? '',
      /two members/,
    );
    assert.match(
      checkStatementRules({ ...s, authority: { ...oauth, mbox: 'mailto:g@a.org' } }) ?? '',
      /anonymous/,
    );
    assert.match(
      checkStatementRules({
        ...s,
        object: { id: 'http://ex.org/q', definition: { choices: [{ id: 'a' }] } },
      }) ?? '',
      /interactionType/,
    );
    assert.match(
      checkStatementShape(
        {
          ...s,
          object: {
            objectType: 'SubStatement',
            actor: s.actor,
            verb: s.verb,
            object: { objectType: 'SubStatement' },
          },
        },
        '2.0.0',
      ) ?? '',
      /object\.object/,
    );
  });
});
