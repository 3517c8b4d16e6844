import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Lets a submission be stored as `checked` before its file exists.
 *
 * A `checked` row records who ran the passing pre-flight check, when, and the check's
 * counts (`check_counts`). Generation later fills in the file, its checksum and row counts,
 * and who generated it and when (`generated_by`, `generated_at`). The file columns are
 * therefore nullable, and a CHECK constraint keeps them all null or all set: all null on a
 * `checked` row, all set on a `generated` or `sent` one. A `superseded` row keeps whatever
 * it had, so a check superseded before it was used has no file.
 *
 * Existing rows were all generated with no error and every warning confirmed, so they get
 * `generated_by`/`generated_at` from `created_by`/`created_at` and check counts from their
 * manifest, or from `findings_by_rule` on rows stored before the manifest was kept.
 */
export const submissionChecked: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      alter table submissions
        alter column file drop not null,
        alter column sha256 drop not null,
        alter column row_counts drop not null,
        add column generated_by text,
        add column generated_at timestamptz,
        add column check_counts jsonb
    `.execute(db);

    await sql`
      update submissions
      set generated_by = created_by,
          generated_at = created_at,
          check_counts = jsonb_strip_nulls(jsonb_build_object(
            'errors', 0,
            'warnings', warnings.total,
            'confirmedWarnings', warnings.total,
            'clients', (manifest ->> 'clients')::integer
          ))
      from (
        select s.id, coalesce((s.manifest ->> 'warnings')::integer, (select coalesce(sum(value::integer), 0) from jsonb_each_text(s.findings_by_rule))::integer) as total
        from submissions s
      ) as warnings
      where warnings.id = submissions.id
    `.execute(db);
    await sql`alter table submissions alter column check_counts set not null`.execute(db);

    await sql`
      alter table submissions add constraint submissions_status_check
        check (status in ('checked', 'generated', 'sent', 'superseded'))
    `.execute(db);
    await sql`
      alter table submissions add constraint submissions_file_check check (
        (file is null and sha256 is null and row_counts is null and generated_by is null and generated_at is null)
        or (file is not null and sha256 is not null and row_counts is not null and generated_by is not null and generated_at is not null)
      )
    `.execute(db);
    await sql`
      alter table submissions add constraint submissions_status_file_check check (
        case status
          when 'checked' then file is null and checked_by is not null and checked_at is not null
          when 'generated' then file is not null
          when 'sent' then file is not null
          else true
        end
      )
    `.execute(db);
  },
  // No `down`: migrations never drop data, and a checked row has no place in the old schema.
};
