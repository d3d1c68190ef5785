import assert from 'node:assert/strict';
import type { Role, SessionUser } from '../../../src/platform/http/types.js';
import * as policy from '../../../src/modules/courses/courses.policy.js';

const user = (id: string, ...roles: Role[]): SessionUser => ({
  id,
  email: `${id}@x.org`,
  name: id,
  roles,
  language: null,
});
const trainer = user('t1', 'trainer');
const otherTrainer = user('t2', 'trainer');
const learner = user('l1', 'learner');
const coordinator = user('c1', 'coordinator');
const course = (o: Partial<Parameters<typeof policy.mayViewCourse>[1]> = {}) => ({
  owner_id: trainer.id,
  status: 'published' as const,
  visibility: 'public' as const,
  self_enrol: true,
  ...o,
});

describe('courses policy', () => {
  it('lets the owner, coordinators and admins edit a course, not another trainer or a learner', () => {
    assert.equal(policy.mayEditCourse(trainer, course()), true);
    assert.equal(policy.mayEditCourse(coordinator, course()), true);
    assert.equal(policy.mayEditCourse(user('a', 'admin'), course()), true);
    assert.equal(policy.mayEditCourse(otherTrainer, course()), false);
    assert.equal(policy.mayEditCourse(learner, course()), false);
    assert.equal(policy.mayEditCourse(null, course()), false);
  });

  it('hides drafts from learners and members-only courses from visitors', () => {
    assert.equal(policy.mayViewCourse(learner, course({ status: 'draft' })), false);
    assert.equal(policy.mayViewCourse(trainer, course({ status: 'draft' })), true);
    assert.equal(policy.mayViewCourse(null, course({ visibility: 'members' })), false);
    assert.equal(policy.mayViewCourse(learner, course({ visibility: 'members' })), true);
    assert.equal(policy.mayViewCourse(null, course()), true);
  });

  it('shows an archived course only to its live enrolments (and its editors)', () => {
    const archived = course({ status: 'archived' });
    assert.equal(policy.mayViewCourse(learner, archived), false);
    assert.equal(policy.mayViewCourse(learner, archived, { user_id: learner.id, status: 'active' }), true);
    assert.equal(
      policy.mayViewCourse(learner, archived, { user_id: learner.id, status: 'withdrawn' }),
      false,
    );
  });

  it('opens activities to enrolled learners only', () => {
    assert.equal(policy.mayOpenActivities(learner, course()), false);
    assert.equal(
      policy.mayOpenActivities(learner, course(), { user_id: learner.id, status: 'active' }),
      true,
    );
    assert.equal(
      policy.mayOpenActivities(learner, course(), { user_id: 'someone', status: 'active' }),
      false,
    );
    assert.equal(
      policy.mayOpenActivities(learner, course({ status: 'draft' }), {
        user_id: learner.id,
        status: 'active',
      }),
      false,
    );
  });

  it('opens an archived course to its live enrolments and editors only', () => {
    const archived = course({ status: 'archived' });
    assert.equal(
      policy.mayOpenActivities(learner, archived, { user_id: learner.id, status: 'active' }),
      true,
    );
    assert.equal(
      policy.mayOpenActivities(learner, archived, { user_id: learner.id, status: 'completed' }),
      true,
    );
    assert.equal(
      policy.mayOpenActivities(learner, archived, { user_id: learner.id, status: 'withdrawn' }),
      false,
    );
    assert.equal(policy.mayOpenActivities(learner, archived), false);
    assert.equal(policy.mayOpenActivities(null, archived), false);
    assert.equal(policy.mayOpenActivities(trainer, archived), true);
    assert.equal(policy.mayOpenActivities(coordinator, archived), true);
    assert.equal(policy.mayOpenActivities(otherTrainer, archived), false);
  });

  it('lets a learner enrol again after withdrawing themselves, not after someone else withdrew them', () => {
    const withdrawn = (withdrawn_by: string | null) => ({
      user_id: learner.id,
      status: 'withdrawn' as const,
      withdrawn_by,
    });
    assert.equal(policy.maySelfEnrol(learner, course(), withdrawn(learner.id)), true);
    assert.equal(policy.maySelfEnrol(learner, course(), withdrawn(coordinator.id)), false);
    assert.equal(
      policy.maySelfEnrol(learner, course(), withdrawn(null)),
      false,
      'withdrawn before it was recorded',
    );
    assert.equal(policy.wasWithdrawnByOthers(learner, withdrawn(coordinator.id)), true);
    assert.equal(policy.wasWithdrawnByOthers(learner, { user_id: learner.id, status: 'active' }), false);
    assert.equal(policy.maySelfEnrol(learner, course()), true);
    assert.equal(policy.maySelfEnrol(learner, course({ self_enrol: false })), false);
  });

  it('shows an enrolment to its learner, the owner and coordinators only', () => {
    const e = { user_id: learner.id, status: 'active' as const };
    assert.equal(policy.mayViewEnrolment(learner, e, course()), true);
    assert.equal(policy.mayViewEnrolment(trainer, e, course()), true);
    assert.equal(policy.mayViewEnrolment(coordinator, e, course()), true);
    assert.equal(policy.mayViewEnrolment(user('l2', 'learner'), e, course()), false);
    assert.equal(policy.mayViewEnrolment(otherTrainer, e, course()), false);
  });

  it('lets only coordinators and admins enrol others', () => {
    assert.equal(policy.mayEnrolOthers(coordinator), true);
    assert.equal(policy.mayEnrolOthers(trainer), false);
    assert.equal(policy.mayEnrolOthers(learner), false);
  });
});
