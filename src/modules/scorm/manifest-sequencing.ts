import type { Element } from '@xmldom/xmldom';
import { attr, boolAttr, child, children, defined, numAttr, text } from './manifest-xml.js';

// IMS Simple Sequencing (imsss) and ADL's extensions (adlseq), as the manifest says them: attributes
// absent from the manifest stay absent, so the runtime (scorm-again) applies the specification's defaults.

export interface RuleCondition {
  condition: string;
  /** `not` or `noOp`. */
  operator?: string;
  referencedObjective?: string;
  measureThreshold?: number;
}

export interface SequencingRule {
  conditionCombination?: 'all' | 'any';
  conditions: RuleCondition[];
  action: string;
}

export interface RollupCondition {
  condition: string;
  operator?: string;
}

export interface RollupRule {
  childActivitySet?: string;
  minimumCount?: number;
  minimumPercent?: number;
  conditionCombination?: 'all' | 'any';
  conditions: RollupCondition[];
  action: string;
}

export interface ObjectiveMapInfo {
  targetObjectiveID: string;
  readSatisfiedStatus?: boolean;
  readNormalizedMeasure?: boolean;
  writeSatisfiedStatus?: boolean;
  writeNormalizedMeasure?: boolean;
}

export interface Objective {
  /** Empty for a primary objective without an id. */
  objectiveID: string;
  satisfiedByMeasure?: boolean;
  minNormalizedMeasure?: number;
  mapInfo: ObjectiveMapInfo[];
}

/** adlseq:mapInfo (4th edition): completion, progress and score on global objectives. */
export interface AdlObjectiveMapInfo {
  targetObjectiveID: string;
  readRawScore?: boolean;
  readMinScore?: boolean;
  readMaxScore?: boolean;
  readCompletionStatus?: boolean;
  readProgressMeasure?: boolean;
  writeRawScore?: boolean;
  writeMinScore?: boolean;
  writeMaxScore?: boolean;
  writeCompletionStatus?: boolean;
  writeProgressMeasure?: boolean;
}

export interface Sequencing {
  /** `ID` of an entry of the sequencing collection. */
  id?: string;
  /** `IDRef`: the collection entry this one extends (its own elements win). */
  idRef?: string;
  controlMode?: {
    choice?: boolean;
    choiceExit?: boolean;
    flow?: boolean;
    forwardOnly?: boolean;
    useCurrentAttemptObjectiveInfo?: boolean;
    useCurrentAttemptProgressInfo?: boolean;
  };
  sequencingRules?: {
    preConditionRules: SequencingRule[];
    exitConditionRules: SequencingRule[];
    postConditionRules: SequencingRule[];
  };
  limitConditions?: { attemptLimit?: number; attemptAbsoluteDurationLimit?: string };
  auxiliaryResources?: { auxiliaryResourceID: string; purpose: string }[];
  rollupRules?: {
    rollupObjectiveSatisfied?: boolean;
    rollupProgressCompletion?: boolean;
    objectiveMeasureWeight?: number;
    rules: RollupRule[];
  };
  objectives?: { primary: Objective | null; secondary: Objective[] };
  randomizationControls?: {
    randomizationTiming?: string;
    selectCount?: number;
    reorderChildren?: boolean;
    selectionTiming?: string;
  };
  deliveryControls?: { tracked?: boolean; completionSetByContent?: boolean; objectiveSetByContent?: boolean };
  /** adlseq:constrainedChoiceConsiderations */
  constrainedChoiceConsiderations?: { preventActivation?: boolean; constrainChoice?: boolean };
  /** adlseq:rollupConsiderations */
  rollupConsiderations?: {
    requiredForSatisfied?: string;
    requiredForNotSatisfied?: string;
    requiredForCompleted?: string;
    requiredForIncomplete?: string;
    measureSatisfactionIfActive?: boolean;
  };
  /** adlseq:objectives, keyed to the imsss objectives by objectiveID. */
  adlObjectives?: { objectiveID: string; mapInfo: AdlObjectiveMapInfo[] }[];
}

const combination = (el: Element | undefined): 'all' | 'any' | undefined => {
  const v = el ? attr(el, 'conditionCombination') : undefined;
  return v === 'all' || v === 'any' ? v : undefined;
};

function rules(parent: Element, name: string): SequencingRule[] {
  return children(parent, name, 'imsss').map((rule) => {
    const conds = child(rule, 'ruleConditions', 'imsss');
    return defined({
      conditionCombination: combination(conds),
      conditions: conds
        ? children(conds, 'ruleCondition', 'imsss').map((c) =>
            defined({
              condition: attr(c, 'condition') ?? '',
              operator: attr(c, 'operator'),
              referencedObjective: attr(c, 'referencedObjective'),
              measureThreshold: numAttr(c, 'measureThreshold'),
            }),
          )
        : [],
      action: attr(child(rule, 'ruleAction', 'imsss') ?? rule, 'action') ?? '',
    });
  });
}

function objective(el: Element): Objective {
  return defined({
    objectiveID: attr(el, 'objectiveID') ?? '',
    satisfiedByMeasure: boolAttr(el, 'satisfiedByMeasure'),
    minNormalizedMeasure: numOrUndef(text(child(el, 'minNormalizedMeasure', 'imsss'))),
    mapInfo: children(el, 'mapInfo', 'imsss').map((m) =>
      defined({
        targetObjectiveID: attr(m, 'targetObjectiveID') ?? '',
        readSatisfiedStatus: boolAttr(m, 'readSatisfiedStatus'),
        readNormalizedMeasure: boolAttr(m, 'readNormalizedMeasure'),
        writeSatisfiedStatus: boolAttr(m, 'writeSatisfiedStatus'),
        writeNormalizedMeasure: boolAttr(m, 'writeNormalizedMeasure'),
      }),
    ),
  });
}

const numOrUndef = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : undefined);

const ADL_MAP_FLAGS = [
  'readRawScore',
  'readMinScore',
  'readMaxScore',
  'readCompletionStatus',
  'readProgressMeasure',
  'writeRawScore',
  'writeMinScore',
  'writeMaxScore',
  'writeCompletionStatus',
  'writeProgressMeasure',
] as const;

/** One `imsss:sequencing` element (of an item, an organization, or the sequencing collection). */
export function parseSequencing(el: Element): Sequencing {
  const cm = child(el, 'controlMode', 'imsss');
  const sr = child(el, 'sequencingRules', 'imsss');
  const lc = child(el, 'limitConditions', 'imsss');
  const ar = child(el, 'auxiliaryResources', 'imsss');
  const rr = child(el, 'rollupRules', 'imsss');
  const obj = child(el, 'objectives', 'imsss');
  const rc = child(el, 'randomizationControls', 'imsss');
  const dc = child(el, 'deliveryControls', 'imsss');
  const ccc = child(el, 'constrainedChoiceConsiderations', 'adlseq');
  const rcons = child(el, 'rollupConsiderations', 'adlseq');
  const adlObj = child(el, 'objectives', 'adlseq');
  return defined({
    id: attr(el, 'ID'),
    idRef: attr(el, 'IDRef'),
    controlMode: cm
      ? defined({
          choice: boolAttr(cm, 'choice'),
          choiceExit: boolAttr(cm, 'choiceExit'),
          flow: boolAttr(cm, 'flow'),
          forwardOnly: boolAttr(cm, 'forwardOnly'),
          useCurrentAttemptObjectiveInfo: boolAttr(cm, 'useCurrentAttemptObjectiveInfo'),
          useCurrentAttemptProgressInfo: boolAttr(cm, 'useCurrentAttemptProgressInfo'),
        })
      : undefined,
    sequencingRules: sr
      ? {
          preConditionRules: rules(sr, 'preConditionRule'),
          exitConditionRules: rules(sr, 'exitConditionRule'),
          postConditionRules: rules(sr, 'postConditionRule'),
        }
      : undefined,
    limitConditions: lc
      ? defined({
          attemptLimit: numAttr(lc, 'attemptLimit'),
          attemptAbsoluteDurationLimit: attr(lc, 'attemptAbsoluteDurationLimit'),
        })
      : undefined,
    auxiliaryResources: ar
      ? children(ar, 'auxiliaryResource', 'imsss').map((a) => ({
          auxiliaryResourceID: attr(a, 'auxiliaryResourceID') ?? '',
          purpose: attr(a, 'purpose') ?? '',
        }))
      : undefined,
    rollupRules: rr
      ? defined({
          rollupObjectiveSatisfied: boolAttr(rr, 'rollupObjectiveSatisfied'),
          rollupProgressCompletion: boolAttr(rr, 'rollupProgressCompletion'),
          objectiveMeasureWeight: numAttr(rr, 'objectiveMeasureWeight'),
          rules: children(rr, 'rollupRule', 'imsss').map((rule) => {
            const conds = child(rule, 'rollupConditions', 'imsss');
            return defined({
              childActivitySet: attr(rule, 'childActivitySet'),
              minimumCount: numAttr(rule, 'minimumCount'),
              minimumPercent: numAttr(rule, 'minimumPercent'),
              conditionCombination: combination(conds),
              conditions: conds
                ? children(conds, 'rollupCondition', 'imsss').map((c) =>
                    defined({ condition: attr(c, 'condition') ?? '', operator: attr(c, 'operator') }),
                  )
                : [],
              action: attr(child(rule, 'rollupAction', 'imsss') ?? rule, 'action') ?? '',
            });
          }),
        })
      : undefined,
    objectives: obj
      ? {
          primary: child(obj, 'primaryObjective', 'imsss')
            ? objective(child(obj, 'primaryObjective', 'imsss')!)
            : null,
          secondary: children(obj, 'objective', 'imsss').map(objective),
        }
      : undefined,
    randomizationControls: rc
      ? defined({
          randomizationTiming: attr(rc, 'randomizationTiming'),
          selectCount: numAttr(rc, 'selectCount'),
          reorderChildren: boolAttr(rc, 'reorderChildren'),
          selectionTiming: attr(rc, 'selectionTiming'),
        })
      : undefined,
    deliveryControls: dc
      ? defined({
          tracked: boolAttr(dc, 'tracked'),
          completionSetByContent: boolAttr(dc, 'completionSetByContent'),
          objectiveSetByContent: boolAttr(dc, 'objectiveSetByContent'),
        })
      : undefined,
    constrainedChoiceConsiderations: ccc
      ? defined({
          preventActivation: boolAttr(ccc, 'preventActivation'),
          constrainChoice: boolAttr(ccc, 'constrainChoice'),
        })
      : undefined,
    rollupConsiderations: rcons
      ? defined({
          requiredForSatisfied: attr(rcons, 'requiredForSatisfied'),
          requiredForNotSatisfied: attr(rcons, 'requiredForNotSatisfied'),
          requiredForCompleted: attr(rcons, 'requiredForCompleted'),
          requiredForIncomplete: attr(rcons, 'requiredForIncomplete'),
          measureSatisfactionIfActive: boolAttr(rcons, 'measureSatisfactionIfActive'),
        })
      : undefined,
    adlObjectives: adlObj
      ? children(adlObj, 'objective', 'adlseq').map((o) => ({
          objectiveID: attr(o, 'objectiveID') ?? '',
          mapInfo: children(o, 'mapInfo', 'adlseq').map((m) => {
            const info: AdlObjectiveMapInfo = { targetObjectiveID: attr(m, 'targetObjectiveID') ?? '' };
            for (const flag of ADL_MAP_FLAGS) {
              const v = boolAttr(m, flag);
              if (v !== undefined) info[flag] = v;
            }
            return info;
          }),
        }))
      : undefined,
  });
}

/**
 * The sequencing that applies: the collection entry named by `idRef`, overridden element by element
 * by what the item itself says (IMS SS: the referencing element's children win).
 */
export function effectiveSequencing(
  own: Sequencing | undefined,
  collection: Record<string, Sequencing>,
): Sequencing | undefined {
  if (!own) return undefined;
  const base = own.idRef ? collection[own.idRef] : undefined;
  if (!base) return own;
  const { id: _id, ...inherited } = base;
  return { ...inherited, ...own };
}
