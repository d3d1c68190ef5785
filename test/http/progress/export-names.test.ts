import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { buildUser } from '../../factories.js';
import { signIn, startTestApp, type TestApp, binaryBody } from '../../helpers/http.js';

describe('progress exports: file and sheet names in the viewer’s language (HTTP)', function () {
  this.timeout(60_000); // the app migrates a fresh database; slow on a busy machine
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('names the file and the sheet with translated words, keeping the letters of every language', async () => {
    const learner = await buildUser(t.ctx.db, { name: 'Zoë Über/Test', language: 'de' });
    const agent = await signIn(t.app, learner.email, learner.password);
    const base = `/reports/learners/${learner.id}/export/courses`;

    const csv = await agent.get(`${base}.csv`);
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
    const disposition = String(csv.headers['content-disposition']);
    assert.match(disposition, /^attachment; filename="[^"]*-Kurse\.csv"/);
    assert.ok(disposition.includes(`filename*=UTF-8''Zo%C3%AB-%C3%9Cber-Test-Kurse.csv`), disposition);

    const xlsx = await agent.get(`${base}.xlsx`).buffer(true).parse(binaryBody);
    assert.equal(xlsx.status, 200);
    assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Uint8Array.from(xlsx.body as Buffer).buffer);
    assert.equal(wb.worksheets[0]!.name, 'Zoë Über-Test-Kurse');
    assert.equal(wb.worksheets[0]!.getRow(1).getCell(1).value, 'Kurs');
  });
});
