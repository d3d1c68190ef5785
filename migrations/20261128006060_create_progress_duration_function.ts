import type { Knex } from 'knex';

// ISO 8601 duration (xAPI result.duration) → milliseconds; null when it does not parse (never an error,
// which would abort the statements' transaction). Years and months count as 365 and 30 days.
// knex reads `?` as a binding placeholder: `\\?` keeps it a literal question mark.
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create function progress_duration_ms(d text) returns bigint language sql immutable as $$
      select case when m is null then null else round(1000 * (
        coalesce(m[1]::numeric, 0) * 31536000 + coalesce(m[2]::numeric, 0) * 2592000 +
        coalesce(m[3]::numeric, 0) * 604800 + coalesce(m[4]::numeric, 0) * 86400 +
        coalesce(m[5]::numeric, 0) * 3600 + coalesce(m[6]::numeric, 0) * 60 + coalesce(m[7]::numeric, 0)))::bigint end
      from (select regexp_match(d,
        '^P(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)Y)\\?(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)M)\\?(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)W)\\?(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)D)\\?(\\?:T(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)H)\\?(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)M)\\?(\\?:([0-9]+(\\?:\\.[0-9]+)\\?)S)\\?)\\?$'
      ) as m) x
    $$`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop function progress_duration_ms(text)');
}
