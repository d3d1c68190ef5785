import path from 'node:path';
import fs from 'node:fs';
import { findUserByEmail, findUserById } from '../modules/accounts/index.js';
import { editableCourses } from '../modules/courses/index.js';
import {
  PackageRefused,
  addToCourse,
  importPackage,
  registerPackageFormat,
  reportAsText,
} from '../modules/packages/index.js';
import { scormPackageFormat } from '../modules/scorm/index.js';
import { h5pPackageFormat } from '../modules/h5p/index.js';
import { createI18n } from '../platform/i18n.js';
import type { Db } from '../platform/db.js';
import type { CliCommand } from './commands.js';
import { CliUsageError } from './errors.js';

/** The importing user: --owner, else the course's owner, else the first admin. */
async function ownerOf(db: Db, email: string | undefined, courseOwnerId: string | undefined) {
  if (email) {
    const user = await findUserByEmail(db, email);
    if (!user) throw new CliUsageError(`No user with the email ${email}.`);
    return user;
  }
  if (courseOwnerId) return (await findUserById(db, courseOwnerId))!;
  const admin = (await db('users as u')
    .join('user_roles as r', 'r.user_id', 'u.id')
    .where({ 'r.role': 'admin', 'u.status': 'active' })
    .orderBy('u.created_at')
    .first('u.id')) as { id: string } | undefined;
  if (!admin) throw new CliUsageError('No active admin to own the package: give --owner <email>.');
  return (await findUserById(db, admin.id))!;
}

export const packageCommands: Record<string, CliCommand> = {
  'import-package': {
    summary: 'import-package <file.zip|file.h5p> [--course SLUG] [--owner EMAIL]',
    options: { course: { type: 'string' }, owner: { type: 'string' } },
    async run({ db, config }, o, positionals) {
      const [file, ...extra] = positionals;
      if (!file || extra.length)
        throw new CliUsageError('Give exactly one package file: import-package <file>');
      if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile())
        throw new CliUsageError(`No such file: ${file}`);
      const course = o.course
        ? ((await db('courses').where({ slug: o.course }).first('id', 'owner_id', 'title')) as
            { id: string; owner_id: string; title: string } | undefined)
        : undefined;
      if (o.course && !course) throw new CliUsageError(`No course with the slug ${o.course}.`);
      const owner = await ownerOf(db, o.owner, course?.owner_id);
      if (course && !(await editableCourses(db, owner)).some((c) => c.id === course.id))
        throw new CliUsageError(`${owner.email} may not add activities to the course ${o.course}.`);
      registerPackageFormat(scormPackageFormat);
      registerPackageFormat(h5pPackageFormat);
      const t = (await createI18n()).getFixedT('en');
      let result;
      try {
        result = await importPackage(
          { db, config },
          { zipPath: file, fileName: path.basename(file), actor: owner },
        );
      } catch (err) {
        if (err instanceof PackageRefused)
          throw new CliUsageError(
            `Refused: ${path.basename(file)}\n${reportAsText(err.report, t)}\n\nNothing was kept.`,
          );
        throw err;
      }
      const lines = [reportAsText(result.report, t), ''];
      if (course) {
        await addToCourse(
          { db, config },
          owner,
          result.package.id,
          { target: 'existing', course_id: course.id },
          'en',
        );
        lines.push(`Added as an activity of the course "${course.title}" (${o.course}).`);
      }
      lines.push(
        `Imported "${result.package.title}", version ${result.version.version}.`,
        `package id: ${result.package.id}`,
      );
      return lines.join('\n');
    },
  },
};
