import assert from 'node:assert/strict';
import { activityTree, parseScormManifest } from '../../../src/modules/scorm/index.js';
import { generatedManifest } from '../../integration/scorm/helpers.js';
import { fixturesDir, haveFixtures } from '../../integration/packages/helpers.js';
import path from 'node:path';
import yauzl from 'yauzl';

type Obj = Record<string, unknown>;

/** The imsmanifest.xml of a fixture zip. */
function fixtureManifest(zip: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(path.join(fixturesDir, 'scorm2004', zip), { lazyEntries: true }, (err, file) => {
      if (err || !file) return reject(err ?? new Error('no zip'));
      file.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'imsmanifest.xml') return file.readEntry();
        file.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            file.close();
            resolve(Buffer.concat(chunks).toString('utf8'));
          });
        });
      });
      file.on('end', () => reject(new Error(`no manifest in ${zip}`)));
      file.readEntry();
    });
  });
}

describe("scorm: the manifest as scorm-again's activity tree", () => {
  it('passes the organization, items and what their sequencing says', () => {
    const { manifest } = parseScormManifest(generatedManifest({ version: '2004', scos: 2 }));
    const tree = activityTree(manifest, manifest.organizations[0]!);
    assert.deepEqual(tree, {
      id: 'org',
      title: 'Generated SCORM 2004',
      sequencingControls: { choice: true, flow: true },
      children: [
        { id: 'sco_1', title: 'Lesson 1' },
        { id: 'sco_2', title: 'Lesson 2' },
      ],
    });
  });

  it('resolves the sequencing collection, rules, objectives and adlseq maps of the golf packages', async function () {
    if (!haveFixtures) {
      process.stdout.write(`      (skipped: ${fixturesDir} is missing)\n`);
      return this.skip();
    }
    const { manifest } = parseScormManifest(
      await fixtureManifest('SequencingForcedSequential_SCORM20043rdEdition.zip'),
    );
    const tree = activityTree(manifest, manifest.organizations[0]!);
    const etiquette = tree.children![1]! as Obj;
    assert.deepEqual(etiquette.deliveryControls, {
      completionSetByContent: true,
      objectiveSetByContent: true,
    });
    assert.deepEqual(etiquette.sequencingControls, { objectiveMeasureWeight: 0 });
    const rule = (etiquette.sequencingRules as { preConditionRules: Obj[] }).preConditionRules[0]!;
    assert.equal(rule.action, 'disabled');
    assert.equal(rule.conditionCombination, 'any');
    assert.deepEqual((etiquette.objectives as Obj[])[0], {
      objectiveID: 'previous_sco_satisfied',
      isPrimary: false,
      mapInfo: [
        {
          targetObjectiveID: 'com.scorm.golfsamples.sequencing.forcedsequential.playing_satisfied',
          readSatisfiedStatus: true,
          writeSatisfiedStatus: false,
        },
      ],
    });
    const fourth = parseScormManifest(
      await fixtureManifest('SequencingPostTestRollup4thEd_SCORM20044thEdition.zip'),
    ).manifest;
    const t4 = activityTree(fourth, fourth.organizations[0]!);
    const playing = t4.children![0]! as Obj;
    assert.deepEqual(playing.completionThreshold, { progressWeight: 0.5 });
    assert.deepEqual(playing.sharedDataMaps, [
      {
        targetID: 'com.scorm.golfsamples.sequencing.forcedsequential.notesStorage',
        readSharedData: true,
        writeSharedData: true,
      },
    ]);
    const primary = playing.primaryObjective as { mapInfo: Obj[] };
    assert.equal(primary.mapInfo[0]!.writeCompletionStatus, true, 'adlseq maps join the imsss objective');
  });
});
