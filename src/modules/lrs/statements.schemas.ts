import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { XapiVersion } from './lrs.types.js';

/**
 * JSON Schemas of xAPI statements (Data part, 2.0.0 and 1.0.3), compiled once with ajv: the shape,
 * types, formats and unknown properties. Rules across properties are in statements.rules.ts.
 */

// RFC 3339 / ISO 8601 date-time with a time zone (Z or ±hh:mm / ±hhmm / ±hh).
const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$/;
// ISO 8601 durations, including the week form and decimal seconds.
const DURATION = /^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?|\d+W)$/;
// RFC 5646 language tags: language, extlang, script, region, variants, extensions, private use.
const LANGTAG =
  /^(([a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(-[a-z]{4})?(-([a-z]{2}|\d{3}))?(-([a-z\d]{5,8}|\d[a-z\d]{3}))*(-[\da-wy-z](-[a-z\d]{2,8})+)*(-x(-[a-z\d]{1,8})+)?|x(-[a-z\d]{1,8})+|i-[a-z]{2,8})$/i;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
// An absolute IRI: a scheme, then no white space or characters IRIs never contain.
const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i;
const MAILTO = /^mailto:[^@\s]+@[^@\s]+$/i;
const SHA1 = /^[0-9a-f]{40}$/i;
const VERSION = /^(1\.0(\.\d+)?|2\.0(\.\d+)?)$/;
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/;

const test = (re: RegExp) => (v: string) => re.test(v);
/** Format checks by name, as ajv uses them (and the query parameters too). */
export const FORMATS: Record<string, (v: string) => boolean> = {
  // xAPI 2.0 (Data 4.5) refuses the "unknown local offset" forms -00, -0000 and -00:00
  'xapi-timestamp': (v) => TIMESTAMP.test(v) && !/-00(:?00)?$/.test(v),
  'xapi-duration': test(DURATION),
  'xapi-langtag': test(LANGTAG),
  'xapi-uuid': test(UUID),
  'xapi-iri': test(IRI),
  'xapi-mailto': test(MAILTO),
  'xapi-sha1': test(SHA1),
  'xapi-version': test(VERSION),
  'xapi-media-type': test(MEDIA_TYPE),
};

/** A readable name of each format, for the refusal message. */
const FORMAT_NAMES: Record<string, string> = {
  'xapi-timestamp': 'an ISO 8601 timestamp with a time zone',
  'xapi-duration': 'an ISO 8601 duration',
  'xapi-langtag': 'an RFC 5646 language tag',
  'xapi-uuid': 'a UUID (RFC 4122 variant 2)',
  'xapi-iri': 'an absolute IRI (with a scheme)',
  'xapi-mailto': 'a "mailto:" IRI of an e-mail address',
  'xapi-sha1': 'a hex SHA-1 hash (40 characters)',
  'xapi-version': 'a version 1.0.x or 2.0.x',
  'xapi-media-type': 'an Internet media type',
};

const str = (format?: string) => (format ? { type: 'string', format } : { type: 'string' });
const iri = str('xapi-iri');
const langMap = {
  type: 'object',
  propertyNames: { format: 'xapi-langtag' },
  additionalProperties: { type: 'string' },
};
const extensions = { type: 'object', propertyNames: { format: 'xapi-iri' } };
const account = {
  type: 'object',
  required: ['homePage', 'name'],
  additionalProperties: false,
  properties: { homePage: iri, name: str() },
};
const ifiProps = {
  name: str(),
  mbox: str('xapi-mailto'),
  mbox_sha1sum: str('xapi-sha1'),
  openid: iri,
  account,
};
const agent = {
  type: 'object',
  additionalProperties: false,
  properties: { objectType: { const: 'Agent' }, ...ifiProps },
};
const group = {
  type: 'object',
  required: ['objectType'],
  additionalProperties: false,
  properties: {
    objectType: { const: 'Group' },
    ...ifiProps,
    member: { type: 'array', items: { $ref: '#/definitions/agent' } },
  },
};
const isType = (t: string) => ({ required: ['objectType'], properties: { objectType: { const: t } } });
/** Agent unless objectType says Group. */
const actor = {
  if: isType('Group'),
  then: { $ref: '#/definitions/group' },
  else: { $ref: '#/definitions/agent' },
};
const interactionComponent = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: str(), description: langMap },
};
const components = { type: 'array', items: interactionComponent };
const activity = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    objectType: { const: 'Activity' },
    id: iri,
    definition: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: langMap,
        description: langMap,
        type: iri,
        moreInfo: iri,
        extensions,
        interactionType: {
          enum: [
            'true-false',
            'choice',
            'fill-in',
            'long-fill-in',
            'matching',
            'performance',
            'sequencing',
            'likert',
            'numeric',
            'other',
          ],
        },
        correctResponsesPattern: { type: 'array', items: str() },
        choices: components,
        scale: components,
        source: components,
        target: components,
        steps: components,
      },
    },
  },
};
const statementRef = {
  type: 'object',
  required: ['objectType', 'id'],
  additionalProperties: false,
  properties: { objectType: { const: 'StatementRef' }, id: str('xapi-uuid') },
};
const attachment = {
  type: 'object',
  required: ['usageType', 'display', 'contentType', 'length', 'sha2'],
  additionalProperties: false,
  properties: {
    usageType: iri,
    display: langMap,
    description: langMap,
    contentType: str('xapi-media-type'),
    length: { type: 'integer', minimum: 0 },
    sha2: { type: 'string', pattern: '^[0-9a-fA-F]{56}([0-9a-fA-F]{8}|[0-9a-fA-F]{40}|[0-9a-fA-F]{72})?$' },
    fileUrl: iri,
  },
};
const contextActivities = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    ['parent', 'grouping', 'category', 'other'].map((k) => [
      k,
      {
        if: { type: 'array' },
        then: { type: 'array', items: { $ref: '#/definitions/activity' } },
        else: { $ref: '#/definitions/activity' },
      },
    ]),
  ),
};
const relevantTypes = { type: 'array', minItems: 1, items: iri };

function contextSchema(v: XapiVersion) {
  const props: Record<string, unknown> = {
    registration: str('xapi-uuid'),
    instructor: actor,
    team: { $ref: '#/definitions/group' },
    contextActivities,
    revision: str(),
    platform: str(),
    language: str('xapi-langtag'),
    statement: { $ref: '#/definitions/statementRef' },
    extensions,
  };
  if (v === '2.0.0') {
    props.contextAgents = {
      type: 'array',
      items: {
        type: 'object',
        required: ['objectType', 'agent'],
        additionalProperties: false,
        properties: {
          objectType: { const: 'contextAgent' },
          agent: { $ref: '#/definitions/agent' },
          relevantTypes,
        },
      },
    };
    props.contextGroups = {
      type: 'array',
      items: {
        type: 'object',
        required: ['objectType', 'group'],
        additionalProperties: false,
        properties: {
          objectType: { const: 'contextGroup' },
          group: { $ref: '#/definitions/group' },
          relevantTypes,
        },
      },
    };
  }
  return { type: 'object', additionalProperties: false, properties: props };
}

const result = {
  type: 'object',
  additionalProperties: false,
  properties: {
    score: {
      type: 'object',
      additionalProperties: false,
      properties: {
        scaled: { type: 'number', minimum: -1, maximum: 1 },
        raw: { type: 'number' },
        min: { type: 'number' },
        max: { type: 'number' },
      },
    },
    success: { type: 'boolean' },
    completion: { type: 'boolean' },
    response: str(),
    duration: str('xapi-duration'),
    extensions,
  },
};
const verb = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: iri, display: langMap },
};

/** The object of a statement (or, with `sub`, of a SubStatement, which may not nest another). */
function objectSchema(sub: boolean) {
  const otherwise = { $ref: '#/definitions/activity' };
  const chain: [string, unknown][] = [
    ['Agent', { $ref: '#/definitions/agent', required: ['objectType'] }],
    ['Group', { $ref: '#/definitions/group' }],
    ['StatementRef', { $ref: '#/definitions/statementRef' }],
  ];
  if (!sub) chain.push(['SubStatement', { $ref: '#/definitions/subStatement' }]);
  return chain.reduceRight<unknown>((acc, [t, then]) => ({ if: isType(t), then, else: acc }), otherwise);
}

function statementSchema(v: XapiVersion) {
  const common = {
    actor,
    verb,
    result,
    context: contextSchema(v),
    timestamp: str('xapi-timestamp'),
    attachments: { type: 'array', items: attachment },
  };
  return {
    type: 'object',
    required: ['actor', 'verb', 'object'],
    additionalProperties: false,
    properties: {
      id: str('xapi-uuid'),
      ...common,
      object: objectSchema(false),
      stored: str('xapi-timestamp'),
      authority: actor,
      version: str('xapi-version'),
    },
    definitions: {
      agent,
      group,
      activity,
      statementRef,
      subStatement: {
        type: 'object',
        required: ['objectType', 'actor', 'verb', 'object'],
        additionalProperties: false,
        properties: { objectType: { const: 'SubStatement' }, ...common, object: objectSchema(true) },
      },
    },
  };
}

const ajv = new Ajv({ allErrors: false, strict: false, formats: FORMATS });
const validators: Record<XapiVersion, ValidateFunction> = {
  '2.0.0': ajv.compile(statementSchema('2.0.0')),
  '1.0.3': ajv.compile(statementSchema('1.0.3')),
};

const actorValidator = ajv.compile({ definitions: { agent, group }, ...actor });

/** Validates an Agent or Group given as a query parameter. */
export function checkActorParam(value: unknown): string | null {
  if (actorValidator(value)) return null;
  return describe(actorValidator.errors ?? []).replace(/^statement/, 'agent');
}

/** Validates the shape of one statement; returns the reason of the first refusal, or null. */
export function checkStatementShape(statement: unknown, version: XapiVersion): string | null {
  const validate = validators[version];
  if (validate(statement)) return null;
  return describe(validate.errors ?? []);
}

function describe(errors: ErrorObject[]): string {
  // In if/then/else chains ajv reports the failing branch first and the "if" wrapper after it.
  const e = errors.find((x) => x.keyword !== 'if') ?? errors[0];
  if (!e) return 'invalid statement';
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'statement';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${where}: property "${String(p.additionalProperty)}" is not allowed here`;
    case 'required':
      return `${where}: property "${String(p.missingProperty)}" is required`;
    case 'type':
      return `${where}: must be of type ${String(p.type)}${p.type === 'object' || p.type === 'string' ? '' : ''}`;
    case 'format':
      return `${where}: must be ${FORMAT_NAMES[String(p.format)] ?? String(p.format)}`;
    case 'propertyNames':
      return `${where}: has a key "${String(p.propertyName)}" that is not ${e.message?.includes('langtag') ? 'a language tag' : 'valid'}`;
    case 'const':
      return `${where}: must be "${String(p.allowedValue)}"`;
    case 'enum':
      return `${where}: must be one of ${(p.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${where}: ${e.message ?? 'is invalid'}`;
  }
}
