import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { projectRoot } from '../../../src/platform/paths.js';

export const XSD_DIR = path.resolve(projectRoot, '..', 'shared', 'xsd');
export const hasXsd = () => fs.existsSync(XSD_DIR);
export const hasXmllint = () => spawnSync('xmllint', ['--version']).status === 0;

/** Every entry of a zip, by path. */
export function unzip(buf: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

export function writeTree(files: Map<string, Buffer>, dir: string) {
  for (const [name, data] of files) {
    const to = path.join(dir, name);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, data);
  }
}

const WRAPPERS: Record<'scorm12' | 'scorm2004' | 'cmi5', [string, string][]> = {
  scorm12: [
    ['http://www.imsproject.org/xsd/imscp_rootv1p1p2', 'scorm12/imscp_rootv1p1p2.xsd'],
    ['http://www.adlnet.org/xsd/adlcp_rootv1p2', 'scorm12/adlcp_rootv1p2.xsd'],
    ['http://www.imsglobal.org/xsd/imsmd_rootv1p2p1', 'scorm12/imsmd_rootv1p2p1.xsd'],
  ],
  scorm2004: [
    ['http://www.imsglobal.org/xsd/imscp_v1p1', 'scorm2004-4th/imscp_v1p1.xsd'],
    ['http://www.adlnet.org/xsd/adlcp_v1p3', 'scorm2004-4th/adlcp_v1p3.xsd'],
    ['http://www.adlnet.org/xsd/adlseq_v1p3', 'scorm2004-4th/adlseq_v1p3.xsd'],
    ['http://www.adlnet.org/xsd/adlnav_v1p3', 'scorm2004-4th/adlnav_v1p3.xsd'],
    ['http://www.imsglobal.org/xsd/imsss', 'scorm2004-4th/imsss_v1p0.xsd'],
  ],
  cmi5: [['https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd', 'cmi5/CourseStructure.xsd']],
};

/**
 * Validates a manifest with xmllint against the schemas in ../shared/xsd, through a wrapper schema that
 * imports each namespace's local file (no network). Returns xmllint's complaints, or '' when valid.
 */
export function validateManifest(kind: keyof typeof WRAPPERS, manifest: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wch-xsd-'));
  try {
    const imports = WRAPPERS[kind]
      .map(([ns, file]) => `  <xs:import namespace="${ns}" schemaLocation="${path.join(XSD_DIR, file)}"/>`)
      .join('\n');
    fs.writeFileSync(
      path.join(dir, 'wrapper.xsd'),
      `<?xml version="1.0"?>\n<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wch:wrapper">\n${imports}\n</xs:schema>\n`,
    );
    fs.writeFileSync(path.join(dir, 'manifest.xml'), manifest);
    try {
      execFileSync(
        'xmllint',
        ['--noout', '--nonet', '--schema', path.join(dir, 'wrapper.xsd'), path.join(dir, 'manifest.xml')],
        {
          stdio: 'pipe',
        },
      );
      return '';
    } catch (err) {
      return String((err as { stderr?: Buffer }).stderr ?? err);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
