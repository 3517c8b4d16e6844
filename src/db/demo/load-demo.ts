import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { cdsQDataset } from '../../dataset/index.js';
import type { Client } from '../../domain/model.js';
import { todayInEngland } from '../../domain/plain-date.js';
import { formatReportingPeriod, periodEnd, periodOf, previousPeriod, type ReportingPeriod } from '../../domain/reporting-period.js';
import { generateClients } from '../../generate/generate-clients.js';
import { findAgency } from '../agencies-repository.js';
import { saveClients } from '../clients-repository.js';
import type { Database } from '../schema.js';
import { createDemoService, demoAgencyCode, demoStaff, demoTeamNames, type DemoService } from './demo-staff.js';
import { ProblemPlanter, type PlantedProblem } from './plant-problems.js';

/** Clients saved together in one round of multi-row statements. */
const clientsPerBatch = 200;

export interface DemoOptions {
  /** Synthetic clients to create (default 2000). */
  clients?: number;
  /** Plant no data-quality problems, so the last complete month exports with no errors. */
  clean?: boolean;
  /** Seed of the generator; the same seed gives the same clients (default 1). */
  seed?: number;
  /** Last month of the histories (default: the last complete month in England). */
  period?: ReportingPeriod;
  /** Actor recorded in the audit trail for each client added (default `demo`). */
  actor?: string;
}

export interface DemoSummary {
  agencyCode: string;
  period: string;
  teams: string[];
  staff: { email: string; displayName: string; roles: string[]; teams: string[] }[];
  clients: number;
  episodes: number;
  interventions: number;
  reviews: number;
  planted: PlantedProblem[];
}

/** Raised when the database already contains the demonstration agency. */
export class DemoAlreadyLoadedError extends Error {
  constructor() {
    super(`The database already contains the demonstration agency ${demoAgencyCode}. Point WAYMARK_DATA_DIR (or DATABASE_URL) at an empty database to load it again.`);
    this.name = 'DemoAlreadyLoadedError';
  }
}

/**
 * Loads a demonstration service in one transaction: agency DEMO1 with three teams, a dozen
 * staff without passwords, and synthetic clients whose histories run to the end of the
 * period, each assigned to a team and one of its keyworkers.
 */
export async function loadDemo(db: Kysely<Database>, options: DemoOptions = {}): Promise<DemoSummary> {
  if (await findAgency(db, demoAgencyCode)) throw new DemoAlreadyLoadedError();
  const period = options.period ?? previousPeriod(periodOf(todayInEngland()));
  const planter = options.clean ? undefined : new ProblemPlanter(cdsQDataset, periodEnd(period));
  const counts: Counts = { clients: 0, episodes: 0, interventions: 0, reviews: 0 };
  const actor = options.actor ?? 'demo';

  await db.transaction().execute(async (trx) => {
    const service = await createDemoService(trx);
    const generated = generateClients({ clients: options.clients ?? 2000, agency: demoAgencyCode, period, seed: options.seed ?? 1 });

    let batch: Client[] = [];
    for (const client of generated) {
      planter?.visit(client);
      batch.push(client);
      if (batch.length >= clientsPerBatch) batch = await saveBatch(trx, service, batch, counts, actor);
    }
    await saveBatch(trx, service, batch, counts, actor);
  });
  // Fresh planner statistics for the tables just filled. PGlite has no autovacuum to gather
  // them, and PostgreSQL's may come minutes later. Without them the caseload's nested client
  // query took about 1 s on PostgreSQL 15 after a 2,000-client demo load.
  await sql`analyze`.execute(db);

  return {
    agencyCode: demoAgencyCode,
    period: formatReportingPeriod(period),
    teams: [...demoTeamNames],
    staff: demoStaff.map((member) => ({ email: member.email, displayName: member.displayName, roles: member.roles, teams: member.teams })),
    ...counts,
    planted: planter?.planted ?? [],
  };
}

/** Saves a batch of clients, assigns them to caseloads and counts them; returns an empty batch. */
async function saveBatch(db: Kysely<Database>, service: DemoService, clients: Client[], counts: Counts, actor: string): Promise<Client[]> {
  if (clients.length === 0) return [];
  await saveClients(db, { id: service.agencyId, code: demoAgencyCode }, clients, { actor });
  await assignCaseloads(db, service, clients, counts.clients);
  for (const client of clients) count(counts, client);
  return [];
}

/** Spreads clients over the teams in turn, and over each team's keyworkers in turn. */
async function assignCaseloads(db: Kysely<Database>, service: DemoService, clients: Client[], firstIndex: number): Promise<void> {
  const teamIds = [...service.teamIds.values()];
  const groups = new Map<string, { teamId: number; keyworkerId: number | null; refs: string[] }>();
  for (const [offset, client] of clients.entries()) {
    const index = firstIndex + offset;
    const teamId = teamIds[index % teamIds.length] as number;
    const keyworkers = service.keyworkersByTeam.get(teamId) ?? [];
    const keyworkerId = keyworkers[Math.floor(index / teamIds.length) % keyworkers.length] ?? null;
    const key = `${teamId}:${keyworkerId}`;
    const group = groups.get(key) ?? { teamId, keyworkerId, refs: [] };
    group.refs.push(client.clientId);
    groups.set(key, group);
  }

  for (const group of groups.values()) {
    await db
      .updateTable('clients')
      .set({ team_id: group.teamId, keyworker_id: group.keyworkerId })
      .where('agency_id', '=', service.agencyId)
      .where('client_ref', 'in', group.refs)
      .execute();
  }
}

interface Counts {
  clients: number;
  episodes: number;
  interventions: number;
  reviews: number;
}

function count(counts: Counts, client: Client): void {
  counts.clients += 1;
  for (const episode of client.episodes) {
    counts.episodes += 1;
    counts.interventions += episode.interventions.length;
    counts.reviews += episode.reviews.length;
  }
}
