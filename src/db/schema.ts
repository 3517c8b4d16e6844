import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { PlainDate } from '../domain/plain-date.js';

/**
 * The Kysely view of the Waymark database, one interface per table, snake_case as in SQL.
 *
 * Date-only columns are read back as `YYYY-MM-DD` strings because `openDatabase` installs a
 * type parser for SQL `date` on both drivers. Numeric columns come back as strings so that
 * no precision is lost; convert them with `numberFromNumeric`.
 */
export interface Database {
  organisations: OrganisationTable;
  agencies: AgencyTable;
  teams: TeamTable;
  staff: StaffTable;
  staff_teams: StaffTeamTable;
  sessions: SessionTable;
  sign_in_challenges: SignInChallengeTable;
  clients: ClientTable;
  episodes: EpisodeTable;
  interventions: InterventionTable;
  reviews: ReviewTable;
  review_items: ReviewItemTable;
  submissions: SubmissionTable;
  warning_confirmations: WarningConfirmationTable;
  audit_events: AuditEventTable;
  break_glass_grants: BreakGlassGrantTable;
  change_counters: ChangeCounterTable;
}

/** A SQL `date`, read and written as an ISO `YYYY-MM-DD` string. */
export type DateColumn = ColumnType<PlainDate, PlainDate | string, PlainDate | string>;
/** A SQL `numeric`, read as a string to keep every digit; written as a number or string. */
export type NumericColumn = ColumnType<string, number | string, number | string>;
/** A `timestamptz` instant: a real point in time, so a JS Date is right here. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A nullable `timestamptz`, set when its step happens. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A `jsonb` column: written as JSON text, read back parsed. */
export type JsonColumn<T> = ColumnType<T, string, string>;
/** The optimistic-locking counter every editable table carries. */
export type VersionColumn = ColumnType<number, number | undefined, number>;

export interface OrganisationTable {
  id: Generated<number>;
  name: string;
  version: VersionColumn;
}

export interface AgencyTable {
  id: Generated<number>;
  organisation_id: number;
  /** NDTMS agency code (AGNCY), unique. */
  code: string;
  name: string;
  version: VersionColumn;
}

export interface TeamTable {
  id: Generated<number>;
  agency_id: number;
  name: string;
  version: VersionColumn;
}

export interface StaffTable {
  id: Generated<number>;
  organisation_id: number;
  /** Stored lower-case, unique. */
  email: string;
  display_name: string;
  password_hash: string | null;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  competences: ColumnType<string[], string[] | undefined, string[]>;
  registrations: ColumnType<string[], string[] | undefined, string[]>;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Base32 TOTP secret, set once the staff member has confirmed it with a code. */
  totp_secret: string | null;
  /** A TOTP secret shown on the set-up page and not yet confirmed with a code. */
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** Time step (Unix seconds / 30) of the last TOTP code accepted, so no code is accepted twice. */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  /** Failed sign-ins since the last successful one. */
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  /** The account cannot sign in before this time. */
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: VersionColumn;
  created_at: Timestamp;
}

export interface StaffTeamTable {
  staff_id: number;
  team_id: number;
}

export interface SessionTable {
  /** Hash of the cookie token, so a copy of the table cannot sign anyone in. */
  id: string;
  staff_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

/** A sign-in waiting for its second factor: the password was right, the TOTP code is still due. */
export interface SignInChallengeTable {
  /** SHA-256 of the challenge cookie token. */
  id: string;
  staff_id: number;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ClientTable {
  id: Generated<number>;
  agency_id: number;
  /** CLIENTID: the provider's reference, unique within the agency. */
  client_ref: string;
  first_initial: string | null;
  surname_initial: string | null;
  date_of_birth: ColumnType<PlainDate | null, PlainDate | string | null, PlainDate | string | null>;
  sex: string | null;
  consent: string | null;
  team_id: number | null;
  keyworker_id: number | null;
  version: VersionColumn;
  created_at: Timestamp;
  updated_at: Timestamp;
  /**
   * Raised by database triggers whenever the client or any row below it changes, however the
   * change is made. Unlike `version`, which only the client form raises, it is not for locking.
   */
  change_stamp: Generated<number>;
}

/**
 * Counters raised by database triggers, read by pages that keep results in memory. The one
 * row, `client-lists`, goes up whenever a client is added, removed, renamed or moved between
 * teams or agencies, or a team moves agency.
 */
export interface ChangeCounterTable {
  name: string;
  value: number;
}

export interface EpisodeTable {
  id: Generated<number>;
  agency_id: number;
  client_id: number;
  /** EPISODID, unique within the agency. */
  episode_ref: string;
  referral_date: DateColumn;
  triage_date: DateColumn;
  discharge_date: ColumnType<PlainDate | null, PlainDate | string | null, PlainDate | string | null>;
  discharge_reason: string | null;
  version: VersionColumn;
}

export interface InterventionTable {
  id: Generated<number>;
  agency_id: number;
  episode_id: number;
  /** MODID, unique within the agency. */
  intervention_ref: string;
  intervention_type: string;
  setting: string;
  referral_date: DateColumn;
  first_appointment_offered_date: ColumnType<PlainDate | null, PlainDate | string | null, PlainDate | string | null>;
  start_date: ColumnType<PlainDate | null, PlainDate | string | null, PlainDate | string | null>;
  end_date: ColumnType<PlainDate | null, PlainDate | string | null, PlainDate | string | null>;
  exit_status: string | null;
  version: VersionColumn;
}

export interface ReviewTable {
  id: Generated<number>;
  agency_id: number;
  episode_id: number;
  /** SUBMID, unique within the agency. */
  review_ref: string;
  review_date: DateColumn;
  /** METHDOSE in ml of 1 mg/1 ml equivalent, numeric(5,1). */
  methadone_dose: ColumnType<string | null, number | string | null, number | string | null>;
  /** BUPDOSE in mg, numeric(5,1). */
  buprenorphine_dose: ColumnType<string | null, number | string | null, number | string | null>;
  ost_supervision: string | null;
  relapse_prevention_prescribing: string | null;
  delivered_by_staff_id: number | null;
  version: VersionColumn;
}

export interface ReviewItemTable {
  review_id: number;
  /** A sub-intervention code marked delivered on the review. */
  sub_intervention_code: string;
}

/** Life of a stored submission: checked, then generated, then sent; or superseded by a later check or generation of the same month. */
export type SubmissionStatus = 'checked' | 'generated' | 'sent' | 'superseded';

/** Counts of the pre-flight check that allowed a submission. */
export interface SubmissionCheckCounts {
  errors: number;
  warnings: number;
  confirmedWarnings: number;
  /** Clients in the month's extraction window; absent on rows stored before the manifest was kept. */
  clients?: number;
}

export interface SubmissionTable {
  id: Generated<number>;
  agency_id: number;
  /** Reporting month, `YYYY-MM`. */
  period: string;
  status: ColumnType<SubmissionStatus, SubmissionStatus, SubmissionStatus>;
  /** Name the file has, or will have once generated. */
  file_name: string;
  /** SHA-256 of the file; null until generated, as are `row_counts`, `file` and `generated_*` (migration 0008 enforces all null or all set). */
  sha256: string | null;
  row_counts: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  /** Findings by rule code: the confirmed warnings, as no error is allowed. */
  findings_by_rule: JsonColumn<Record<string, number>>;
  /** Actor who stored the row: `staff:<id>` from the web app, `system:cli` or `staff:<id>` from the command line. */
  created_by: string;
  created_at: Timestamp;
  file: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  /** The manifest written with the file; null on rows stored before migration 0006 and on checked rows. */
  manifest: ColumnType<unknown, string | null | undefined, string | null>;
  /** Actor and time of the check that allowed generation; null only on rows stored before migration 0006. */
  checked_by: string | null;
  checked_at: NullableTimestamp;
  check_counts: JsonColumn<SubmissionCheckCounts>;
  /** Actor and time the file was generated. */
  generated_by: string | null;
  generated_at: NullableTimestamp;
  /** Actor and time the data officer marked the file as sent to NDTMS. */
  sent_by: string | null;
  sent_at: NullableTimestamp;
  /** Actor and time a later check or generation of the same month replaced this one. */
  superseded_by: string | null;
  superseded_at: NullableTimestamp;
}

/** A confirmation of one rule warning on one record, with a fingerprint of the record's values then. */
export interface WarningConfirmationTable {
  id: Generated<number>;
  agency_id: number;
  rule_code: string;
  /** `entity:reference:field`, such as `review:R-1:METHDOSE`, stable across re-checks. */
  record_key: string;
  /** SHA-256 of the record's values and the finding's value when confirmed. */
  fingerprint: string;
  /** `staff:<id>`. */
  confirmed_by: string;
  confirmed_at: Timestamp;
}

/** A column that can be written once, on insert, and never updated: the audit trail is append-only. */
type InsertOnly<Read, Insert = Read> = ColumnType<Read, Insert, never>;

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: InsertOnly<Date, Date | string | undefined>;
  /** The actor: `staff:<id>`, `system:cli`, or for older rows `cli`, `import` or `demo`. */
  actor: InsertOnly<string>;
  /** The staff member of a `staff:<id>` actor, copied out for indexed searches. */
  actor_staff_id: InsertOnly<number | null, number | null | undefined>;
  action: InsertOnly<string>;
  entity: InsertOnly<string>;
  entity_id: InsertOnly<string>;
  /** The client the event is about, when there is one: the key of a client's access history. */
  client_id: InsertOnly<number | null, number | null | undefined>;
  before: InsertOnly<unknown, string | null | undefined>;
  after: InsertOnly<unknown, string | null | undefined>;
  reason: InsertOnly<string | null, string | null | undefined>;
}

/**
 * The kind of a grant in `break_glass_grants`: `break-glass` opens a client outside the
 * staff member's scope, and `correction` lets a data officer change a client they may view.
 */
export type ClientGrantKind = 'break-glass' | 'correction';

/** Time-limited access by one member of staff to one client, given for a reason. */
export interface BreakGlassGrantTable {
  id: Generated<number>;
  staff_id: number;
  client_id: number;
  kind: ColumnType<ClientGrantKind, ClientGrantKind | undefined, never>;
  /** The reason the member of staff gave, shown to team leaders reviewing the access. */
  reason: string;
  granted_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export type ClientRow = Selectable<ClientTable>;
export type EpisodeRow = Selectable<EpisodeTable>;
export type InterventionRow = Selectable<InterventionTable>;
export type ReviewRow = Selectable<ReviewTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
