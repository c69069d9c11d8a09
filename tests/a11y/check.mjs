// Accessibility check of the evidence annex in a real browser.
// Usage: node check.mjs ANNEX_HTML SCREENSHOT_PNG
// Opens the annex in headless Chromium (Debian's package, /usr/bin/chromium), saves a full-page
// screenshot, runs axe-core (WCAG 2.0/2.1/2.2 A and AA rules plus best practices) and exits 1 on
// any serious or critical violation.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const [annex, screenshot] = process.argv.slice(2);
if (!annex || !screenshot) {
  console.error('usage: node check.mjs ANNEX_HTML SCREENSHOT_PNG');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) external.push(r.url()); });
  await page.goto(pathToFileURL(resolve(annex)).href, { waitUntil: 'load' });
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }));
  const summary = {};
  for (const v of results.violations) summary[v.impact] = (summary[v.impact] || 0) + 1;
  console.log(`axe-core ${results.testEngine.version}: ${results.passes.length} rules passed, ${results.violations.length} violated ${JSON.stringify(summary)}, ${results.incomplete.length} need review`);
  for (const v of results.violations) {
    console.log(`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s)) e.g. ${v.nodes[0]?.target?.join(' ')}`);
    if (v.impact === 'serious' || v.impact === 'critical') failed = true;
  }
  const headings = await page.$$eval('h1,h2,h3,h4,h5,h6', (hs) => hs.length);
  const lang = await page.$eval('html', (h) => h.lang);
  console.log(`annex: lang=${lang}, ${headings} headings, external requests: ${external.length}`);
  if (external.length > 0) { console.log('  external requests:', external.join(', ')); failed = true; }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
