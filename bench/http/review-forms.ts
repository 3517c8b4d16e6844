import type { WebDatabase } from '../../src/web/data/tables.js';

/** Values a new review form opens with, as a worker would save them unchanged. */
export interface ReviewForm {
  episodeId: number;
  fields: [string, string][];
}

/**
 * Opens the new-review form of up to `limit` open episodes over HTTP and keeps the values
 * it carries forward (hidden fields, ticked items, doses, supervision). Forms whose values
 * are incomplete are kept too, and the save returns 400 for them.
 */
export async function openReviewForms(baseUrl: string, cookie: string, db: WebDatabase, limit: number): Promise<ReviewForm[]> {
  const episodes = await db.selectFrom('episodes').select('id').where('discharge_date', 'is', null).orderBy('id').limit(limit * 3).execute();
  const forms: ReviewForm[] = [];
  for (const episode of episodes) {
    if (forms.length >= limit) break;
    const response = await fetch(`${baseUrl}/episodes/${episode.id}/reviews/new`, { headers: { cookie } });
    // Episodes outside the prescriber's two teams return 404.
    if (response.status !== 200) continue;
    const fields = answersOf(await response.text());
    if (fields.some(([name]) => name === 'items')) forms.push({ episodeId: episode.id, fields });
  }
  return forms;
}

function answersOf(html: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const match of html.matchAll(/<input type="hidden" name="(episodeVersion|phase)" value="([^"]*)">/g)) fields.push([match[1] ?? '', match[2] ?? '']);
  for (const match of html.matchAll(/name="items" type="checkbox" value="([^"]+)" checked/g)) fields.push(['items', match[1] ?? '']);
  for (const match of html.matchAll(/name="(methadoneDose|buprenorphineDose)" type="text"[^>]*value="([^"]+)"/g)) fields.push([match[1] ?? '', match[2] ?? '']);
  for (const match of html.matchAll(/name="(reviewDate-day|reviewDate-month|reviewDate-year)" type="text"[^>]*value="([^"]+)"/g)) fields.push([match[1] ?? '', match[2] ?? '']);
  for (const match of html.matchAll(/name="ostSupervision" type="radio" value="([^"]+)" checked/g)) fields.push(['ostSupervision', match[1] ?? '']);
  return fields;
}

export function formBodyOf(form: ReviewForm, reviewRef: string): string {
  const params = new URLSearchParams([['reviewRef', reviewRef], ...form.fields]);
  return params.toString();
}
