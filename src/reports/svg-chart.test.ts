import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeXml, renderBarChartSvg, type BarChartOptions } from './svg-chart.js';

const options: BarChartOptions = {
  id: 'in-treatment',
  title: 'Clients in treatment',
  description: 'Clients in treatment by month.',
  unit: 'clients',
  width: 400,
  height: 300,
};

function attributeValues(svg: string, element: string, attribute: string): number[] {
  const pattern = new RegExp(`<${element} [^>]*?${attribute}="([^"]+)"`, 'g');
  return [...svg.matchAll(pattern)].map((match) => Number(match[1]));
}

await test('bar chart is an accessible image', () => {
  const svg = renderBarChartSvg([{ label: 'Jan', value: 10 }], options);

  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart" role="img" aria-labelledby="in-treatment-title in-treatment-desc"/);
  assert.match(svg, /<title id="in-treatment-title">Clients in treatment<\/title>/);
  assert.match(svg, /<desc id="in-treatment-desc">Clients in treatment by month\. Jan: 10 clients\.<\/desc>/);
  assert.match(svg, /viewBox="0 0 400 300" width="400" height="300"/);
  assert.ok(svg.endsWith('</svg>'));
});

await test('bar chart has no script or style', () => {
  const svg = renderBarChartSvg([{ label: 'Jan', value: 10 }, { label: 'Feb', value: '*' }], options);

  assert.doesNotMatch(svg, /<script/i);
  assert.doesNotMatch(svg, /style=/i);
  assert.doesNotMatch(svg, /<style/i);
  assert.doesNotMatch(svg, /\son[a-z]+=/i);
});

await test('bar chart heights follow values', () => {
  // Plot height is 300 - 24 - 56 = 220. The axis tops at 20 (20 is already a multiple of 5),
  // so 20 fills the plot and 5 takes a quarter of it: 55.
  const svg = renderBarChartSvg([{ label: 'A', value: 5 }, { label: 'B', value: 20 }, { label: 'C', value: 0 }], options);

  assert.deepEqual(attributeValues(svg, 'rect', 'height'), [55, 220, 0]);
  assert.deepEqual(attributeValues(svg, 'rect', 'y'), [189, 24, 244]);
  // Plot width 400 - 48 - 16 = 336, so each slot is 112 wide and each bar 78.4.
  assert.deepEqual(attributeValues(svg, 'rect', 'width'), [78.4, 78.4, 78.4]);
  assert.deepEqual(attributeValues(svg, 'rect', 'x'), [64.8, 176.8, 288.8]);
});

await test('bar chart ticks round the axis up', () => {
  // The largest value 130 rounds up to 150, with a middle tick of 75.
  const svg = renderBarChartSvg([{ label: 'A', value: 130 }], options);
  const ticks = [...svg.matchAll(/<text class="chart__tick"[^>]*>([^<]+)<\/text>/g)].map((match) => match[1]);
  assert.deepEqual(ticks, ['0', '75', '150']);
});

await test('bar chart shows hidden counts as a mark', () => {
  const svg = renderBarChartSvg([{ label: 'Jan', value: 12 }, { label: 'Feb', value: '*' }], options);

  assert.equal(attributeValues(svg, 'rect', 'height').length, 1);
  assert.match(svg, /<text class="chart__value chart__value--hidden"[^>]*>\*<\/text>/);
  assert.match(svg, /Jan: 12 clients; Feb: hidden to protect privacy\./);
});

await test('bar chart escapes labels and title', () => {
  const svg = renderBarChartSvg([{ label: '<script>alert("x")</script>', value: 1 }], { ...options, title: 'Tom & Jerry\'s "chart"' });

  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;/);
  assert.match(svg, /<title id="in-treatment-title">Tom &amp; Jerry&apos;s &quot;chart&quot;<\/title>/);
});

await test('bar chart with no data', () => {
  const svg = renderBarChartSvg([], options);

  assert.equal(attributeValues(svg, 'rect', 'height').length, 0);
  assert.match(svg, /<desc id="in-treatment-desc">Clients in treatment by month\. There is no data to show\.<\/desc>/);
});

await test('bar chart rejects a negative value', () => {
  assert.throws(() => renderBarChartSvg([{ label: 'Jan', value: -1 }], options), {
    name: 'RangeError',
    message: 'Bar 1 ("Jan") has the value -1, but bars take a number of 0 or more, or * for a hidden count.',
  });
});

await test('bar chart rejects an unsafe id', () => {
  assert.throws(() => renderBarChartSvg([], { ...options, id: 'a" onload="x' }), {
    name: 'RangeError',
    message: 'The chart id "a" onload="x" is not a valid id. Start with a letter and use only letters, digits, - and _.',
  });
});

await test('escapeXml covers the five entities', () => {
  assert.equal(escapeXml(`&<>"'`), '&amp;&lt;&gt;&quot;&apos;');
});
