import type { Db } from '../../platform/db.js';

const MAX = 80;

/** A URL-safe slug from a title: "Café & Co: les bases" → "cafe-co-les-bases". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX)
    .replace(/-+$/g, '');
  return slug || 'course';
}

/** The slug itself when free, else the first free "slug-2", "slug-3", … */
export async function freeSlug(db: Db, base: string, exceptCourseId?: string): Promise<string> {
  const stem = base.slice(0, MAX - 4).replace(/-+$/g, '');
  const taken = new Set(
    (
      (await db('courses')
        .where((q) => q.where('slug', base).orWhere('slug', 'like', `${stem}-%`))
        .modify((q) => {
          if (exceptCourseId) q.whereNot('id', exceptCourseId);
        })
        .select('slug')) as { slug: string }[]
    ).map((r) => r.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}
