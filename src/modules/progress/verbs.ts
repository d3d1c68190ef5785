// xAPI verbs the projections read (ADL vocabulary; cmi5 `satisfied`).
const ADL = 'http://adlnet.gov/expapi/verbs/';
export const VERBS = {
  completed: `${ADL}completed`,
  passed: `${ADL}passed`,
  failed: `${ADL}failed`,
  initialized: `${ADL}initialized`,
  attempted: `${ADL}attempted`,
  terminated: `${ADL}terminated`,
  suspended: `${ADL}suspended`,
  answered: `${ADL}answered`,
  satisfied: 'https://w3id.org/xapi/adl/verbs/satisfied',
  earned: 'https://w3id.org/xapi/adl/verbs/earned',
  voided: `${ADL}voided`,
} as const;

/** SQL string literal of a verb IRI (constants only, never user input). */
export const lit = (v: string) => `'${v.replace(/'/g, "''")}'`;
