import assert from 'node:assert/strict';
import {
  ManifestXmlError,
  effectiveSequencing,
  parseScormManifest,
  withParameters,
} from '../../../src/modules/scorm/index.js';
import { scorm12Manifest } from '../../integration/packages/helpers.js';

const NS2004 = `xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"`;

const manifest2004 = (schemaversion: string) => `<?xml version="1.0"?>
<manifest identifier="m" ${NS2004} xml:base="content/">
  <metadata><schema>ADL SCORM</schema><schemaversion>${schemaversion}</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org" adlseq:objectivesGlobalToSystem="false">
      <title>Sequenced</title>
      <item identifier="module"><title>Module</title>
        <item identifier="sco1" identifierref="r1" parameters="a=1">
          <title>First</title>
          <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8" progressWeight="0.5"/>
          <adlcp:data><adlcp:map targetID="notes" readSharedData="true" writeSharedData="false"/></adlcp:data>
          <adlnav:presentation><adlnav:navigationInterface><adlnav:hideLMSUI>previous</adlnav:hideLMSUI><adlnav:hideLMSUI>continue</adlnav:hideLMSUI></adlnav:navigationInterface></adlnav:presentation>
          <imsss:sequencing IDRef="common">
            <imsss:sequencingRules>
              <imsss:preConditionRule>
                <imsss:ruleConditions conditionCombination="any">
                  <imsss:ruleCondition referencedObjective="prev" operator="not" condition="satisfied"/>
                </imsss:ruleConditions>
                <imsss:ruleAction action="disabled"/>
              </imsss:preConditionRule>
            </imsss:sequencingRules>
            <imsss:objectives>
              <imsss:primaryObjective objectiveID="obj1" satisfiedByMeasure="true">
                <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
                <imsss:mapInfo targetObjectiveID="g.obj1" writeSatisfiedStatus="true"/>
              </imsss:primaryObjective>
              <imsss:objective objectiveID="prev"><imsss:mapInfo targetObjectiveID="g.prev" readSatisfiedStatus="true"/></imsss:objective>
            </imsss:objectives>
            <adlseq:objectives><adlseq:objective objectiveID="obj1"><adlseq:mapInfo targetObjectiveID="g.obj1" writeCompletionStatus="true"/></adlseq:objective></adlseq:objectives>
          </imsss:sequencing>
        </item>
        <imsss:sequencing>
          <imsss:rollupRules objectiveMeasureWeight="0.5">
            <imsss:rollupRule childActivitySet="atLeastCount" minimumCount="1">
              <imsss:rollupConditions><imsss:rollupCondition condition="completed"/></imsss:rollupConditions>
              <imsss:rollupAction action="completed"/>
            </imsss:rollupRule>
          </imsss:rollupRules>
        </imsss:sequencing>
      </item>
      <imsss:sequencing><imsss:controlMode choice="false" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources xml:base="pages/">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="start.html?x=1" xml:base="one/"><file href="start.html"/></resource>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="common"><imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/><imsss:limitConditions attemptLimit="3"/></imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>`;

describe('scorm: imsmanifest.xml model', () => {
  it('reads SCORM 1.2: version, tree, launch with parameters, mastery score', () => {
    const { manifest, errors, warnings } = parseScormManifest(scorm12Manifest({ title: 'Hello' }));
    assert.deepEqual(errors, []);
    assert.deepEqual(warnings, []);
    assert.equal(manifest.version, '1.2');
    assert.equal(manifest.edition, null);
    assert.equal(manifest.title, 'Hello');
    const item = manifest.organizations[0]!.items[0]!;
    assert.equal(item.launch, 'index.html?page=1');
    assert.equal(item.scormType, 'sco');
    assert.equal(item.masteryScore, 80);
  });

  for (const [sv, edition] of [
    ['CAM 1.3', 2],
    ['2004 3rd Edition', 3],
    ['2004 4th Edition', 4],
  ] as const) {
    it(`finds SCORM 2004 edition ${edition} from schemaversion "${sv}"`, () => {
      const { manifest, warnings } = parseScormManifest(manifest2004(sv));
      assert.equal(manifest.version, '2004');
      assert.equal(manifest.edition, edition);
      assert.deepEqual(warnings, []);
    });
  }

  it('reads an unknown 2004 edition as the 4th, with a warning', () => {
    const { manifest, warnings } = parseScormManifest(manifest2004('2004 5th Edition'));
    assert.equal(manifest.edition, 4);
    assert.deepEqual(
      warnings.map((w) => w.key),
      ['packages:scorm.unknownSchemaversion'],
    );
  });

  it('applies xml:base and parameters, and reads 4th-edition item data', () => {
    const { manifest } = parseScormManifest(manifest2004('2004 4th Edition'));
    const org = manifest.organizations[0]!;
    assert.equal(org.objectivesGlobalToSystem, false);
    assert.deepEqual(org.sequencing?.controlMode, { choice: false, flow: true });
    const sco = org.items[0]!.children[0]!;
    assert.equal(sco.launch, 'content/pages/one/start.html?x=1&a=1');
    assert.deepEqual(manifest.resources[0]!.files, ['content/pages/one/start.html']);
    assert.deepEqual(sco.hideLMSUI, ['previous', 'continue']);
    assert.deepEqual(sco.completionThreshold, {
      completedByMeasure: true,
      minProgressMeasure: 0.8,
      progressWeight: 0.5,
    });
    assert.deepEqual(sco.sharedData, [{ targetID: 'notes', readSharedData: true, writeSharedData: false }]);
  });

  it('reads sequencing rules, objectives, rollup and the collection, and merges IDRef', () => {
    const { manifest } = parseScormManifest(manifest2004('2004 4th Edition'));
    const module = manifest.organizations[0]!.items[0]!;
    const sco = module.children[0]!;
    const seq = sco.sequencing!;
    assert.equal(seq.idRef, 'common');
    assert.deepEqual(seq.sequencingRules!.preConditionRules, [
      {
        conditionCombination: 'any',
        conditions: [{ condition: 'satisfied', operator: 'not', referencedObjective: 'prev' }],
        action: 'disabled',
      },
    ]);
    assert.deepEqual(seq.objectives!.primary, {
      objectiveID: 'obj1',
      satisfiedByMeasure: true,
      minNormalizedMeasure: 0.6,
      mapInfo: [{ targetObjectiveID: 'g.obj1', writeSatisfiedStatus: true }],
    });
    assert.equal(seq.objectives!.secondary[0]!.mapInfo[0]!.readSatisfiedStatus, true);
    assert.deepEqual(seq.adlObjectives, [
      { objectiveID: 'obj1', mapInfo: [{ targetObjectiveID: 'g.obj1', writeCompletionStatus: true }] },
    ]);
    assert.deepEqual(module.sequencing!.rollupRules, {
      objectiveMeasureWeight: 0.5,
      rules: [
        {
          childActivitySet: 'atLeastCount',
          minimumCount: 1,
          conditions: [{ condition: 'completed' }],
          action: 'completed',
        },
      ],
    });
    const merged = effectiveSequencing(seq, manifest.sequencingCollection)!;
    assert.deepEqual(merged.deliveryControls, { completionSetByContent: true, objectiveSetByContent: true });
    assert.deepEqual(merged.limitConditions, { attemptLimit: 3 });
    assert.ok(merged.sequencingRules);
    // JSON-safe: stored whole with the package version.
    assert.deepEqual(JSON.parse(JSON.stringify(manifest)), manifest);
  });

  it('refuses DOCTYPEs and entities before parsing, and malformed XML', () => {
    assert.throws(
      () =>
        parseScormManifest(
          '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>',
        ),
      (e: unknown) => e instanceof ManifestXmlError && e.reason === 'doctype',
    );
    assert.throws(
      () => parseScormManifest('<manifest><organizations></manifest>'),
      (e: unknown) => e instanceof ManifestXmlError && e.reason === 'malformed',
    );
  });

  it('joins item parameters as SCORM CAM says', () => {
    assert.equal(withParameters('a.html', '?x=1'), 'a.html?x=1');
    assert.equal(withParameters('a.html?y=2', '?x=1'), 'a.html?y=2&x=1');
    assert.equal(withParameters('a.html', '#top'), 'a.html#top');
    assert.equal(withParameters('a.html#s', '#top'), 'a.html#s');
    assert.equal(withParameters('a.html', null), 'a.html');
  });
});
