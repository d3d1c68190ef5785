import { effectiveSequencing, type Objective, type Sequencing } from './manifest-sequencing.js';
import type { ScormItem, ScormManifest, ScormOrganization } from './manifest.js';

// The manifest's organization as scorm-again's `sequencing.activityTree` (ActivitySettings): the runtime
// applies the specification's defaults to what the manifest leaves out, so only what is written is passed.

type Obj = Record<string, unknown>;

/** A JSON-safe ActivitySettings tree (scorm-again `types/sequencing_types`). */
export interface ActivityTreeSettings extends Obj {
  id: string;
  title: string;
  children?: ActivityTreeSettings[];
}

const set = (o: Obj, key: string, value: unknown) => {
  if (value !== undefined && !(Array.isArray(value) && !value.length)) o[key] = value;
};

function objectiveSettings(o: Objective, isPrimary: boolean, adl: Sequencing['adlObjectives']): Obj {
  const extra = adl?.find((a) => a.objectiveID === o.objectiveID)?.mapInfo ?? [];
  const mapInfo: Obj[] = o.mapInfo.map((m) => ({ ...m }));
  for (const m of extra) {
    const same = mapInfo.find((x) => x.targetObjectiveID === m.targetObjectiveID);
    if (same) Object.assign(same, m);
    else mapInfo.push({ ...m });
  }
  const out: Obj = { objectiveID: o.objectiveID, isPrimary };
  set(out, 'satisfiedByMeasure', o.satisfiedByMeasure);
  set(out, 'minNormalizedMeasure', o.minNormalizedMeasure);
  set(out, 'mapInfo', mapInfo);
  return out;
}

const ruleSettings = (rules: NonNullable<Sequencing['sequencingRules']>['preConditionRules']) =>
  rules.map((r) => {
    const rule: Obj = {
      action: r.action,
      conditions: r.conditions.map((c) => {
        const cond: Obj = { condition: c.condition };
        set(cond, 'operator', c.operator);
        set(cond, 'referencedObjective', c.referencedObjective);
        if (c.measureThreshold !== undefined) cond.parameters = { threshold: c.measureThreshold };
        return cond;
      }),
    };
    set(rule, 'conditionCombination', r.conditionCombination);
    return rule;
  });

/** The parts of one `imsss:sequencing` that ActivitySettings carries. */
function sequencingSettings(s: Sequencing | undefined): Obj {
  const out: Obj = {};
  if (!s) return out;
  const controls: Obj = { ...(s.controlMode ?? {}) };
  set(controls, 'preventActivation', s.constrainedChoiceConsiderations?.preventActivation);
  set(controls, 'constrainChoice', s.constrainedChoiceConsiderations?.constrainChoice);
  set(controls, 'rollupObjectiveSatisfied', s.rollupRules?.rollupObjectiveSatisfied);
  set(controls, 'rollupProgressCompletion', s.rollupRules?.rollupProgressCompletion);
  set(controls, 'objectiveMeasureWeight', s.rollupRules?.objectiveMeasureWeight);
  const rc = s.randomizationControls;
  set(controls, 'randomizationTiming', rc?.randomizationTiming);
  set(controls, 'selectCount', rc?.selectCount);
  set(controls, 'reorderChildren', rc?.reorderChildren);
  set(controls, 'selectionTiming', rc?.selectionTiming);
  if (Object.keys(controls).length) out.sequencingControls = controls;
  if (s.deliveryControls && Object.keys(s.deliveryControls).length)
    out.deliveryControls = { ...s.deliveryControls };
  if (s.sequencingRules) {
    out.sequencingRules = {
      preConditionRules: ruleSettings(s.sequencingRules.preConditionRules),
      exitConditionRules: ruleSettings(s.sequencingRules.exitConditionRules),
      postConditionRules: ruleSettings(s.sequencingRules.postConditionRules),
    };
  }
  if (s.rollupRules?.rules.length) {
    out.rollupRules = {
      rules: s.rollupRules.rules.map((r) => {
        const rule: Obj = {
          action: r.action,
          consideration: r.childActivitySet ?? 'all',
          conditions: r.conditions.map((c) => {
            const cond: Obj = { condition: c.condition };
            set(cond, 'operator', c.operator);
            return cond;
          }),
        };
        set(rule, 'conditionCombination', r.conditionCombination);
        set(rule, 'minimumCount', r.minimumCount);
        // the manifest says a fraction (0–1); scorm-again counts in percent
        set(rule, 'minimumPercent', r.minimumPercent === undefined ? undefined : r.minimumPercent * 100);
        return rule;
      }),
    };
  }
  if (s.rollupConsiderations && Object.keys(s.rollupConsiderations).length)
    out.rollupConsiderations = { ...s.rollupConsiderations };
  set(out, 'attemptLimit', s.limitConditions?.attemptLimit);
  set(out, 'attemptAbsoluteDurationLimit', s.limitConditions?.attemptAbsoluteDurationLimit);
  set(
    out,
    'auxiliaryResources',
    s.auxiliaryResources?.map((a) => ({ resourceId: a.auxiliaryResourceID, purpose: a.purpose })),
  );
  if (s.objectives?.primary)
    out.primaryObjective = objectiveSettings(s.objectives.primary, true, s.adlObjectives);
  set(
    out,
    'objectives',
    s.objectives?.secondary.map((o) => objectiveSettings(o, false, s.adlObjectives)),
  );
  return out;
}

function itemSettings(
  item: ScormItem,
  collection: ScormManifest['sequencingCollection'],
): ActivityTreeSettings {
  const out: ActivityTreeSettings = {
    id: item.identifier,
    title: item.title,
    ...sequencingSettings(effectiveSequencing(item.sequencing, collection)),
  };
  if (!item.isVisible) out.isVisible = false;
  set(out, 'hideLmsUi', item.hideLMSUI);
  set(out, 'timeLimitAction', item.timeLimitAction);
  const ct = item.completionThreshold;
  if (ct) out.completionThreshold = { ...ct };
  else if (item.completionThresholdValue !== undefined)
    out.completionThreshold = { completedByMeasure: true, minProgressMeasure: item.completionThresholdValue };
  set(
    out,
    'sharedDataMaps',
    item.sharedData.map((m) => ({ ...m })),
  );
  set(
    out,
    'children',
    item.children.map((c) => itemSettings(c, collection)),
  );
  return out;
}

/** The organization as an activity tree for scorm-again's Scorm2004API `sequencing.activityTree`. */
export function activityTree(manifest: ScormManifest, org: ScormOrganization): ActivityTreeSettings {
  return {
    id: org.identifier,
    title: org.title,
    ...sequencingSettings(effectiveSequencing(org.sequencing, manifest.sequencingCollection)),
    children: org.items.map((i) => itemSettings(i, manifest.sequencingCollection)),
  };
}
