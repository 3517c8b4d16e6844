/** Values a new review form opens with, as a worker would save them unchanged. */
export interface ReviewForm {
  episodeId: number;
  fields: [string, string][];
}

/**
 * Opens the new-review form of open episodes over HTTP, keeps the values it carries forward
 * (hidden fields, ticked items, doses, supervision) and saves it once unchanged. Only forms
 * that this first save accepts are returned, up to `limit`. The others need a tick that a
 * worker would give only after reading the message (a competence they lack, a warning) or
 * carry a planted data problem, so saving them again would measure only rejections.
 */
export async function openReviewForms(baseUrl: string, cookie: string, episodeIds: number[], limit: number): Promise<ReviewForm[]> {
  const forms: ReviewForm[] = [];
  for (const episodeId of episodeIds.slice(0, limit * 3)) {
    if (forms.length >= limit) break;
    const response = await fetch(`${baseUrl}/episodes/${episodeId}/reviews/new`, { headers: { cookie } });
    // Episodes outside the prescriber's two teams return 404.
    if (response.status !== 200) continue;
    const form = { episodeId, fields: answersOf(await response.text()) };
    if (!form.fields.some(([name]) => name === 'items')) continue;
    if (await saveReview(baseUrl, cookie, form, `R-BENCH-FIRST${episodeId}`) === 303) forms.push(form);
  }
  return forms;
}

/** Saves a form with the given review reference and returns the response status (303 when saved). */
export async function saveReview(baseUrl: string, cookie: string, form: ReviewForm, reviewRef: string): Promise<number> {
  const response = await fetch(`${baseUrl}/episodes/${form.episodeId}/reviews/new`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: formBodyOf(form, reviewRef),
  });
  await response.arrayBuffer();
  return response.status;
}

function answersOf(html: string): [string, string][] {
  const fields: [string, string][] = [];
  // The page has several forms (sign-out too), each with the same CSRF token: keep one of each.
  const hidden = new Map<string, string>();
  for (const match of html.matchAll(/<input type="hidden" name="(episodeVersion|phase|_csrf)" value="([^"]*)">/g)) hidden.set(match[1] ?? '', match[2] ?? '');
  fields.push(...hidden);
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
