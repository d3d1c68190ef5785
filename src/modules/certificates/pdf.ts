import path from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { TFunction } from '../../platform/i18n.js';
import { projectRoot } from '../../platform/paths.js';
import type { CertificateRow } from './certificates.repo.js';
import { groupedCode } from './code.js';
import { ISSUER_NAME } from './credential.js';

// DejaVu Sans covers Latin, Greek, Cyrillic and Arabic; pdfkit lays text out with fontkit, which shapes
// Arabic (joining forms) and orders right-to-left runs.
const FONT = path.join(projectRoot, 'assets', 'fonts', 'DejaVuSans.ttf');
const FONT_BOLD = path.join(projectRoot, 'assets', 'fonts', 'DejaVuSans-Bold.ttf');

const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
/**
 * pdfkit wraps text word by word, which drops the spaces between right-to-left words and orders them
 * left to right; with no-break spaces fontkit lays the whole right-to-left line out as one run.
 */
export const oneRun = (text: string) => (RTL.test(text) ? text.replace(/ /g, '\u00a0') : text);

export interface PdfInput {
  certificate: CertificateRow;
  verifyUrl: string;
  t: TFunction;
  lang: string;
}

/** The certificate as an A4 landscape PDF, written to `out` as it is made. */
export async function writeCertificatePdf(out: NodeJS.WritableStream, p: PdfInput): Promise<void> {
  const { certificate: c, t } = p;
  const qr = await QRCode.toBuffer(p.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 56,
    info: { Title: t('certificates:pdf.title'), Author: ISSUER_NAME, Subject: c.course_title },
    lang: p.lang,
  });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  doc.pipe(out);
  const W = doc.page.width;
  const H = doc.page.height;
  doc
    .lineWidth(3)
    .rect(24, 24, W - 48, H - 48)
    .stroke('#1f4e79');
  doc
    .lineWidth(1)
    .rect(32, 32, W - 64, H - 64)
    .stroke('#1f4e79');

  const centre = (text: string, y: number, font: string, size: number, color = '#111111') => {
    doc
      .font(font)
      .fontSize(size)
      .fillColor(color)
      .text(oneRun(text), 72, y, { width: W - 144, align: 'center' });
  };
  centre(ISSUER_NAME, 64, 'bold', 14, '#1f4e79');
  centre(t('certificates:pdf.title'), 100, 'bold', 30);
  centre(t('certificates:pdf.certifies'), 160, 'body', 14, '#333333');
  centre(c.learner_name, 188, 'bold', 28);
  centre(t('certificates:pdf.completed'), 240, 'body', 14, '#333333');
  centre(c.course_title, 266, 'bold', 20);

  const date = new Intl.DateTimeFormat(p.lang, { dateStyle: 'long' }).format(new Date(c.issued_at));
  const facts = [
    `${t('certificates:pdf.date')}: ${date}`,
    ...(c.hours
      ? [`${t('certificates:pdf.hours')}: ${new Intl.NumberFormat(p.lang).format(Number(c.hours))}`]
      : []),
    `${t('certificates:pdf.issuer')}: ${ISSUER_NAME}${c.trainer_name ? ` · ${t('certificates:pdf.trainer')}: ${c.trainer_name}` : ''}`,
  ];
  let y = 330;
  for (const f of facts) {
    centre(f, y, 'body', 12, '#222222');
    y += 20;
  }
  const qrSize = 110;
  doc.image(qr, W - 72 - qrSize, H - 72 - qrSize, { width: qrSize, height: qrSize });
  doc
    .font('body')
    .fontSize(10)
    .fillColor('#333333')
    .text(`${t('certificates:pdf.code')}: ${groupedCode(c.code)}`, 72, H - 150, { width: W - 280 })
    .text(t('certificates:pdf.verifyAt'), 72, H - 130, { width: W - 280 })
    .fillColor('#1f4e79')
    .text(p.verifyUrl, 72, H - 114, { width: W - 280, link: p.verifyUrl, underline: true });
  doc.end();
  await new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
}
