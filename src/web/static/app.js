/* global document, fetch, setTimeout, clearTimeout -- browser globals: this file runs in the page, not in Node.js */
// Enhancements only: every page works without this file. Loaded as a module, so it runs
// after the page is parsed and only in browsers that support modules.
import { initAll } from '/assets/nhsuk/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();

const reviewForm = document.querySelector('.waymark-review-form');
if (reviewForm) {
  enhanceOstQuestions(reviewForm);
  enhanceConcentrate();
  enhanceLookup();
}

// Lets browser tests wait until the enhancements above have changed the page.
document.documentElement.dataset.waymarkReady = 'true';

/**
 * Shows the dose and supervision questions only while a matching oral OST item is ticked.
 * A hidden question's inputs are disabled, so the form does not send them: a worker who
 * switches from buprenorphine to methadone sends only the methadone dose. The typed values
 * stay in the inputs and come back if the item is ticked again. A question the server
 * marked with an error stays shown, so the error summary never links to a hidden field.
 */
function enhanceOstQuestions(form) {
  const sections = form.querySelectorAll('[data-shown-with]');
  const hint = form.querySelector('.waymark-no-js-hint');
  if (hint) hint.hidden = true;
  const update = () => {
    const ticked = new Set([...form.querySelectorAll('input[data-ost-marker]:checked')].map((input) => input.dataset.ostMarker));
    for (const section of sections) {
      const markers = section.dataset.shownWith.split(' ');
      const shown = markers.some((marker) => ticked.has(marker)) || section.querySelector('.nhsuk-form-group--error') !== null;
      section.hidden = !shown;
      for (const input of section.querySelectorAll('input, select, textarea')) input.disabled = !shown;
    }
  };
  form.addEventListener('change', update);
  update();
}

/** Shows the 1 mg/1 ml equivalent while the concentrate volume and strength are typed. */
function enhanceConcentrate() {
  const volume = document.getElementById('concentrateVolume');
  const strength = document.getElementById('concentrateStrength');
  const result = document.getElementById('concentrate-result');
  if (!volume || !strength || !result) return;
  const update = () => {
    const ml = Number(volume.value);
    const mgPerMl = Number(strength.value);
    if (volume.value === '' || strength.value === '' || !(ml > 0) || !(mgPerMl > 0)) return;
    const equivalent = Math.round(ml * mgPerMl * 10) / 10;
    result.textContent = `${ml} ml of ${mgPerMl} mg/ml concentrate is ${equivalent} mg, recorded as ${equivalent} ml of 1 mg/1 ml solution`;
  };
  volume.addEventListener('input', update);
  strength.addEventListener('input', update);
}

/** Lists matching sub-interventions as the person types, using the same lookup as the Search button. */
function enhanceLookup() {
  const term = document.getElementById('term');
  const results = document.getElementById('lookup-results');
  if (!term || !results) return;
  let timer;
  term.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      showMatches(term.value.trim(), results, term.dataset.lookupUrl).catch(() => {
        results.textContent = 'Search is not available. Use the Search button.';
      });
    }, 250);
  });
}

async function showMatches(text, results, url) {
  results.replaceChildren();
  if (text === '') return;
  const response = await fetch(`${url}?term=${encodeURIComponent(text)}`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`lookup failed with status ${response.status}`);
  const matches = (await response.json()).filter((match) => document.getElementById(`item-${match.code}`));
  if (matches.length === 0) {
    const none = document.createElement('p');
    none.className = 'nhsuk-body-s';
    none.textContent = `Nothing on this review matches "${text}".`;
    results.append(none);
    return;
  }
  const list = document.createElement('ul');
  list.className = 'nhsuk-list';
  for (const match of matches) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#item-${match.code}`;
    link.textContent = `${match.name} (${match.code})`;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const checkbox = document.getElementById(`item-${match.code}`);
      checkbox.scrollIntoView({ block: 'center' });
      checkbox.focus();
    });
    item.append(link);
    list.append(item);
  }
  results.append(list);
}
