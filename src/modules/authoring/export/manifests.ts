import type { Snapshot } from '../authoring.schemas.js';
import { licenceEnglish, licenceUrl } from '../licences.js';
import type { PackageFile } from './build.js';

/** Text for XML content and attribute values. */
export const xml = (s: string) =>
  s
    // eslint-disable-next-line no-control-regex -- characters XML 1.0 cannot carry
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const vcardText = (s: string) => s.replace(/[\\,;]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
const vcard = (name: string) =>
  `BEGIN:VCARD\nVERSION:3.0\nFN:${vcardText(name)}\nN:${vcardText(name)};;;;\nEND:VCARD`;

const rightsText = (s: Snapshot) =>
  [licenceEnglish[s.licence], licenceUrl(s.licence), s.attribution].filter(Boolean).join(' — ');

/** IMS Meta-data 1.2.1 (SCORM 1.2), prefix imsmd. */
function lom12(s: Snapshot): string {
  const ls = (text: string, lang: string = s.language) =>
    `<imsmd:langstring xml:lang="${lang}">${xml(text)}</imsmd:langstring>`;
  const vocab = (value: string) =>
    `<imsmd:source>${ls('LOMv1.0', 'x-none')}</imsmd:source><imsmd:value>${ls(value, 'x-none')}</imsmd:value>`;
  return `<imsmd:lom>
      <imsmd:general>
        <imsmd:title>${ls(s.title)}</imsmd:title>
        <imsmd:language>${s.language}</imsmd:language>
        <imsmd:description>${ls(s.description || s.title)}</imsmd:description>
      </imsmd:general>
      <imsmd:lifecycle>
        <imsmd:version>${ls(String(s.version))}</imsmd:version>
        <imsmd:contribute>
          <imsmd:role>${vocab('Author')}</imsmd:role>
          <imsmd:centity><imsmd:vcard>${xml(vcard(s.author.name))}</imsmd:vcard></imsmd:centity>
        </imsmd:contribute>
      </imsmd:lifecycle>
      <imsmd:rights>
        <imsmd:cost>${vocab('no')}</imsmd:cost>
        <imsmd:copyrightandotherrestrictions>${vocab(s.licence === 'cc0' ? 'no' : 'yes')}</imsmd:copyrightandotherrestrictions>
        <imsmd:description>${ls(rightsText(s))}</imsmd:description>
      </imsmd:rights>
    </imsmd:lom>`;
}

/** IEEE LOM (SCORM 2004 and cmi5), in the namespace http://ltsc.ieee.org/xsd/LOM with prefix lom. */
function lomIeee(s: Snapshot, indent = '    '): string {
  const str = (text: string) => `<lom:string language="${s.language}">${xml(text)}</lom:string>`;
  const vocab = (value: string) => `<lom:source>LOMv1.0</lom:source><lom:value>${xml(value)}</lom:value>`;
  return `<lom:lom xmlns:lom="http://ltsc.ieee.org/xsd/LOM">
${indent}  <lom:general>
${indent}    <lom:title>${str(s.title)}</lom:title>
${indent}    <lom:language>${s.language}</lom:language>
${indent}    <lom:description>${str(s.description || s.title)}</lom:description>
${indent}  </lom:general>
${indent}  <lom:lifeCycle>
${indent}    <lom:version>${str(String(s.version))}</lom:version>
${indent}    <lom:contribute><lom:role>${vocab('author')}</lom:role><lom:entity>${xml(vcard(s.author.name))}</lom:entity></lom:contribute>
${indent}  </lom:lifeCycle>
${indent}  <lom:rights>
${indent}    <lom:cost>${vocab('no')}</lom:cost>
${indent}    <lom:copyrightAndOtherRestrictions>${vocab(s.licence === 'cc0' ? 'no' : 'yes')}</lom:copyrightAndOtherRestrictions>
${indent}    <lom:description>${str(rightsText(s))}</lom:description>
${indent}  </lom:rights>
${indent}</lom:lom>`;
}

const identifier = (s: Snapshot) => `wch-${s.authoredCourseId}-v${s.version}`;
const fileList = (files: PackageFile[], indent: string) =>
  files
    .map((f) => f.path)
    .sort()
    .map((p) => `${indent}<file href="${xml(p)}"/>`)
    .join('\n');

export function scorm12Manifest(s: Snapshot, files: PackageFile[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${identifier(s)}" version="${s.version}"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
          xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    ${lom12(s)}
  </metadata>
  <organizations default="org-1">
    <organization identifier="org-1">
      <title>${xml(s.title)}</title>
      <item identifier="item-1" identifierref="res-1" isvisible="true">
        <title>${xml(s.title)}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormtype="sco" href="index.html">
${fileList(files, '      ')}
    </resource>
  </resources>
</manifest>
`;
}

export function scorm2004Manifest(s: Snapshot, files: PackageFile[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${identifier(s)}" version="${s.version}"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
          xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
    ${lomIeee(s)}
  </metadata>
  <organizations default="org-1">
    <organization identifier="org-1">
      <title>${xml(s.title)}</title>
      <item identifier="item-1" identifierref="res-1">
        <title>${xml(s.title)}</title>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res-1" type="webcontent" adlcp:scormType="sco" href="index.html">
${fileList(files, '      ')}
    </resource>
  </resources>
</manifest>
`;
}

export function cmi5CourseStructure(s: Snapshot, courseIri: string, hasQuizzes: boolean): string {
  const ls = (text: string) => `<langstring lang="${s.language}">${xml(text)}</langstring>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="${xml(courseIri)}">
    <title>${ls(s.title)}</title>
    <description>${ls(s.description || s.title)}</description>
    ${lomIeee(s)}
  </course>
  <au id="${xml(`${courseIri}/au`)}" moveOn="${hasQuizzes ? 'CompletedAndPassed' : 'Completed'}" launchMethod="AnyWindow">
    <title>${ls(s.title)}</title>
    <description>${ls(s.description || s.title)}</description>
    <url>index.html</url>
  </au>
</courseStructure>
`;
}
