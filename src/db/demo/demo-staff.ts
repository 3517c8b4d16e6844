import type { Kysely } from 'kysely';
import type { Competence } from '../../dataset/index.js';
import type { Database } from '../schema.js';

/** Agency code of the demonstration service. */
export const demoAgencyCode = 'DEMO1';

export const demoTeamNames = ['North team', 'South team', 'Alcohol team'] as const;
type DemoTeam = (typeof demoTeamNames)[number];

export interface DemoStaffMember {
  email: string;
  displayName: string;
  roles: string[];
  teams: DemoTeam[];
  competences: Competence[];
  registrations: string[];
}

// Synthetic people. Addresses use the reserved `.invalid` domain so no mail can ever leave.
export const demoStaff: DemoStaffMember[] = [
  { email: 'ana.keyworker@demo.invalid', displayName: 'Ana Keyworker', roles: ['keyworker'], teams: ['North team'], competences: ['structured-psychosocial'], registrations: [] },
  { email: 'ben.keyworker@demo.invalid', displayName: 'Ben Keyworker', roles: ['keyworker'], teams: ['North team'], competences: ['stop-smoking-advisor'], registrations: [] },
  { email: 'cara.keyworker@demo.invalid', displayName: 'Cara Keyworker', roles: ['keyworker'], teams: ['South team'], competences: ['structured-psychosocial', 'bacp-accreditation'], registrations: [] },
  { email: 'dev.keyworker@demo.invalid', displayName: 'Dev Keyworker', roles: ['keyworker'], teams: ['South team'], competences: [], registrations: [] },
  { email: 'eve.keyworker@demo.invalid', displayName: 'Eve Keyworker', roles: ['keyworker'], teams: ['Alcohol team'], competences: ['structured-psychosocial', 'professional-registration'], registrations: ['hcpc'] },
  { email: 'finn.keyworker@demo.invalid', displayName: 'Finn Keyworker', roles: ['keyworker'], teams: ['Alcohol team'], competences: ['stop-smoking-advisor'], registrations: [] },
  { email: 'gita.prescriber@demo.invalid', displayName: 'Gita Prescriber', roles: ['prescriber'], teams: ['North team', 'South team'], competences: ['professional-registration'], registrations: ['gmc'] },
  { email: 'hal.prescriber@demo.invalid', displayName: 'Hal Prescriber', roles: ['prescriber'], teams: ['Alcohol team'], competences: ['professional-registration'], registrations: ['nmc'] },
  { email: 'ivy.teamleader@demo.invalid', displayName: 'Ivy Team Leader', roles: ['team-leader', 'keyworker'], teams: ['North team'], competences: ['structured-psychosocial'], registrations: [] },
  { email: 'jon.teamleader@demo.invalid', displayName: 'Jon Team Leader', roles: ['team-leader', 'keyworker'], teams: ['South team', 'Alcohol team'], competences: ['structured-psychosocial'], registrations: [] },
  { email: 'kim.dataofficer@demo.invalid', displayName: 'Kim Data Officer', roles: ['data-officer'], teams: ['North team', 'South team', 'Alcohol team'], competences: [], registrations: [] },
  { email: 'lee.administrator@demo.invalid', displayName: 'Lee Administrator', roles: ['administrator'], teams: [], competences: [], registrations: [] },
];

export interface DemoService {
  organisationId: number;
  agencyId: number;
  teamIds: Map<DemoTeam, number>;
  /** Staff ids by email. */
  staffIds: Map<string, number>;
  /** Ids of the keyworkers of each team, for assigning clients. */
  keyworkersByTeam: Map<number, number[]>;
}

/** Creates the demonstration organisation, agency, teams and staff. Passwords are left unset. */
export async function createDemoService(db: Kysely<Database>): Promise<DemoService> {
  const organisation = await db.insertInto('organisations').values({ name: 'Waymark Demonstration Service' }).returning('id').executeTakeFirstOrThrow();
  const agency = await db
    .insertInto('agencies')
    .values({ organisation_id: organisation.id, code: demoAgencyCode, name: 'Demonstration community drug and alcohol service' })
    .returning('id')
    .executeTakeFirstOrThrow();

  const teamIds = new Map<DemoTeam, number>();
  for (const name of demoTeamNames) {
    const team = await db.insertInto('teams').values({ agency_id: agency.id, name }).returning('id').executeTakeFirstOrThrow();
    teamIds.set(name, team.id);
  }

  const staffIds = new Map<string, number>();
  const keyworkersByTeam = new Map<number, number[]>();
  for (const member of demoStaff) {
    const row = await db
      .insertInto('staff')
      .values({
        organisation_id: organisation.id,
        email: member.email,
        display_name: member.displayName,
        roles: member.roles,
        competences: member.competences,
        registrations: member.registrations,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    staffIds.set(member.email, row.id);

    for (const teamName of member.teams) {
      const teamId = teamIds.get(teamName) as number;
      await db.insertInto('staff_teams').values({ staff_id: row.id, team_id: teamId }).execute();
      if (member.roles.includes('keyworker')) keyworkersByTeam.set(teamId, [...(keyworkersByTeam.get(teamId) ?? []), row.id]);
    }
  }
  return { organisationId: organisation.id, agencyId: agency.id, teamIds, staffIds, keyworkersByTeam };
}
