import { insertClientTrees } from '../../db/client-batch-insert.js';
import type { OpenDatabase } from '../../db/database.js';
import type { Client } from '../../domain/model.js';
import { reportFixture } from '../../reports/report-fixture.js';
import { hashPassword } from '../accounts/passwords.js';
import { testPassword, type SeededStaff } from './web-test-app.js';

/**
 * The report fixture as the database can hold it. The database requires a referral date
 * on every intervention, so C6's recovery support intervention, which the fixture leaves
 * without one, is referred on the day it starts.
 */
export function storedReportFixture(): Client[] {
  const clients = reportFixture();
  for (const client of clients) {
    for (const episode of client.episodes) {
      for (const intervention of episode.interventions) intervention.referralDate ??= intervention.startDate;
    }
  }
  return clients;
}

/** Clients of the report fixture that the seed places in the second team; the rest go to the first. */
export const southTeamClients = ['C2', 'C5', 'C8'];

export interface SeededReportData {
  southTeamId: number;
  /** Internal client ids by client reference. */
  clientIds: Map<string, number>;
}

/**
 * Loads the nine stored report-fixture clients into the staff member's agency, C2, C5 and C8 in a
 * second team ("South team") and the others in the staff member's team.
 */
export async function seedReportFixture(database: OpenDatabase, staff: SeededStaff): Promise<SeededReportData> {
  const { db } = database;
  const south = await db.insertInto('teams').values({ agency_id: staff.agencyId, name: 'South team' }).returning('id').executeTakeFirstOrThrow();
  const clientIds = await insertClientTrees(db, staff.agencyId, storedReportFixture());
  for (const [clientRef, id] of clientIds) {
    await db.updateTable('clients').set({ team_id: southTeamClients.includes(clientRef) ? south.id : staff.teamId }).where('id', '=', id).execute();
  }
  return { southTeamId: south.id, clientIds };
}

/** Adds a member of staff to an existing organisation and team, and returns their id. */
export async function addStaffToTeam(database: OpenDatabase, organisationId: number, teamId: number, roles: string[], email: string, displayName = 'Tess Leader'): Promise<number> {
  const { db } = database;
  const staff = await db
    .insertInto('staff')
    .values({ organisation_id: organisationId, email, display_name: displayName, password_hash: await hashPassword(testPassword), roles })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('staff_teams').values({ staff_id: staff.id, team_id: teamId }).execute();
  return staff.id;
}

/** The fixture clients a team leader of the given team counts. */
export function fixtureClientsOfTeam(south: boolean): Client[] {
  return storedReportFixture().filter((client) => southTeamClients.includes(client.clientId) === south);
}
