import type { Db } from '../../platform/db.js';
import { deleteDocument, getDocument, ifiKey, putDocument, type DocumentAddress } from '../lrs/index.js';
import { activityIri, learnerAgent } from './launch.service.js';
import type { LaunchRow } from './launches.repo.js';

// H5P's "content user data" (the state a content type gives back on the next visit) lives in the LRS
// State resource: activity = the content's IRI, agent = the learner, registration = the attempt's,
// stateId = `h5p:<dataType>:<subContentId>`. The same documents are readable at /xapi/activities/state.

export const MAX_USER_DATA_BYTES = 1024 * 1024;

function address(publicUrl: string, launch: LaunchRow, dataType: string, sub: string) {
  const agent = learnerAgent(publicUrl, { id: launch.user_id, name: '' });
  return {
    kind: 'state',
    activityId: activityIri(publicUrl, launch.activity_id),
    agentKey: ifiKey(agent)!,
    registration: launch.registration.toLowerCase(),
    docId: `h5p:${dataType}:${sub}`,
  } satisfies DocumentAddress;
}

/** The saved JSON text, or null when there is none. */
export async function readUserData(
  db: Db,
  publicUrl: string,
  launch: LaunchRow,
  dataType: string,
  sub: string,
): Promise<string | null> {
  const doc = await getDocument(db, address(publicUrl, launch, dataType, sub));
  return doc ? doc.content.toString('utf8') : null;
}

/** Saves the JSON text H5P gives (replacing the last one); null deletes it (H5P resets the content). */
export async function writeUserData(
  db: Db,
  publicUrl: string,
  launch: LaunchRow,
  dataType: string,
  sub: string,
  json: string | null,
): Promise<void> {
  const a = address(publicUrl, launch, dataType, sub);
  if (json === null) return deleteDocument(db, a, {});
  await putDocument(
    db,
    a,
    { content: Buffer.from(json, 'utf8'), contentType: 'application/json' },
    {},
    'never',
  );
}
