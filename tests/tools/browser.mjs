// A small Playwright driver for black-box browser tests: Debian's Chromium,
// headless, driven as a person would (click the label, type, submit).
//
// Usage (from the Rust tests):
//
//   node tests/tools/browser.mjs <scenario> '<json args>'
//
// Every scenario takes `width` and `height` (the viewport, CSS pixels), and
// optionally `screenshot` (a PNG path, written once the scenario is done) and
// `mobile` (true: a touch phone, isMobile + hasTouch). Scenarios:
//
//   answer   {url, answer: "yes"|"no"|"maybe", companions: int|null, comment: string|null}
//            answers an invitation page; prints {before, after}.
//   visit    {url, audit?: bool}
//            prints {status, title, text, lang, horizontal_overflow, inner_width},
//            and with `audit` axe-core's violations at this width as `axe`.
//   register {url, name, email}
//            registers on a public event page; prints {status, text, url, redirects}.
//   setup    {url, code, name, email, screenshots?: directory, prefix?: string}
//            the first run: from the home page of a fresh install to the
//            dashboard, through a wrong code first; prints {setup_path,
//            wrong, landed_at, status, text, horizontal_overflow}.
//   organiser {login_url, event, csv_path, phoned, check_in, walk_in, remove, phone: {width, height},
//            screenshots}
//            the organiser's journey in the dashboard (see `organiser` below);
//            runs axe-core on each of its screens at `width` and at the
//            phone's width, saving <screenshots>/journey-NN-<screen>-<width>.png,
//            and prints what it saw, with `axe`: {screen: [violations]}.
//   email    {html}
//            an email's HTML part as a mail app shows it at this width;
//            prints {yes_bottom, date_bottom, horizontal_overflow}: where
//            the "yes" button and the line naming `date` end, in CSS px.
//   door     {accept_url, name, check_in: [names], walk_in: {name, email}, screenshots, desktop_width}
//            a door helper on her phone: accepts the emailed invitation to the
//            team (signing in with her own, new account), checks guests in,
//            adds a walk-in, opens the list to print; runs axe-core on each
//            screen and prints {landed_at, counts, overflow, axe, door_rows,
//            pdf_pages} (pdf_pages: the door list printed to A4 by Chromium).
//   question_editor {url, questions: [{kind, label_fr, label_en, options_fr?, options_en?, required?}], screenshots}
//            an organiser adds questions to her event's form, makes a
//            mistake, then saves (see `question_editor` below); prints
//            {venue, mistake, saved, axe}.
//   docs     {url}
//            the API reference as a machine without internet shows it:
//            requests to any other origin are refused and listed; prints
//            {operations, title, requests, outside, horizontal_overflow}.
//
// `locale` (optional, e.g. "fr-FR") sets the browser's language; `cookies`
// (optional, Playwright's [{name, value, url}]) are set before the first page.
//
// On success: one JSON object on stdout, exit 0. On any failure: the reason
// on stderr, a full-page screenshot of where it stopped (path on stderr:
// `screenshot` with ".failure.png", or one in the temp directory), exit 1.
// Bad usage exits 2.
//
// The browser is $CHROMIUM or /usr/bin/chromium: Playwright never downloads
// one (`npm ci --prefix tests/tools` installs playwright-core only). Each run
// has a fresh context, with its own temporary profile.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * axe-core's browser bundle, run in each page the journey audits. Evaluated
 * through the DevTools protocol rather than added as a <script>, which the
 * dashboard's Content-Security-Policy rightly refuses.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// Imported here rather than with `import`, to say how to install it if missing.
const { chromium } = await import("playwright-core").catch((error) => {
  process.stderr.write(`browser.mjs: cannot load playwright-core (run \`npm ci --prefix tests/tools\`): ${error.message}\n`);
  process.exit(1);
});

/** How long one step (a navigation, a click, a fill) may take. */
const STEP_TIMEOUT_MS = 15_000;

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A failure in what the page did. */
class ScenarioError extends Error {}

/** Arguments that make no sense: exit 2, no screenshot. */
class UsageError extends Error {}

// ---------------------------------------------------------------------------
// Reading the page

/**
 * What every scenario looks at: the title, <html lang>, the checked answer
 * (if the page has the answer form), and whether the page is wider than the
 * window (a horizontal scroll bar, the usual sign of a layout broken on
 * phones). `inner_width` is the layout viewport: on a phone it is the
 * device's width only when the page has a <meta name="viewport">.
 */
async function pageState(page) {
  return page.evaluate(() => {
    const checked = document.querySelector('input[name="answer"]:checked');
    return {
      title: document.title,
      lang: document.documentElement.getAttribute("lang"),
      checked: checked ? checked.value : null,
      horizontal_overflow: document.documentElement.scrollWidth > window.innerWidth,
      inner_width: window.innerWidth,
    };
  });
}

/** The value of a form control, or null when the page has none. */
async function valueOf(page, selector) {
  const control = page.locator(selector);
  return (await control.count()) > 0 ? control.first().inputValue() : null;
}

/** The visible text of an element, or null when the page has none. */
async function textOf(page, selector) {
  const element = page.locator(selector);
  return (await element.count()) > 0 ? element.first().innerText() : null;
}

/** The redirects that led to a response, oldest first: [{method, url, status}]. */
async function redirectsOf(response) {
  const chain = [];
  for (let request = response.request().redirectedFrom(); request; request = request.redirectedFrom()) {
    const answered = await request.response();
    chain.unshift({ method: request.method(), url: request.url(), status: answered ? answered.status() : null });
  }
  return chain;
}

// ---------------------------------------------------------------------------
// Acting on the page

/** Opens `url`; a page that does not answer 2xx is a failure unless `anyStatus`. */
async function open(page, url, { anyStatus = false } = {}) {
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response) throw new ScenarioError(`GET ${url}: no response`);
  if (!anyStatus && !response.ok()) {
    throw new ScenarioError(`GET ${url} answered ${response.status()}, expected 2xx`);
  }
  return response;
}

/**
 * Clicks the (first) submit button of `form` and waits for the page it leads to: the
 * first main-frame document response that is not a redirect (a POST answered
 * 303 is followed to the GET it points to), then its load event.
 */
async function submit(page, form) {
  // The form's own button: not one of the question editor's, which post
  // the form back to add, move or remove a question.
  const button = page.locator(`${form} button[type="submit"]:not([name="question_action"])`);
  if ((await button.count()) === 0) throw new ScenarioError(`no ${form} button[type="submit"] on ${page.url()}`);
  const landed = page.waitForResponse(
    (response) =>
      response.request().isNavigationRequest() &&
      response.frame() === page.mainFrame() &&
      !(response.status() >= 300 && response.status() < 400),
  );
  await button.first().click();
  const response = await landed;
  await page.waitForLoadState("load");
  return response;
}

/** Fills a control that must be there. */
async function fill(page, selector, value) {
  const control = page.locator(selector);
  if ((await control.count()) === 0) throw new ScenarioError(`no ${selector} on ${page.url()}`);
  await control.first().fill(String(value));
}

/**
 * Audits the screen the page shows with axe-core at each of `widths`, and
 * saves a full-page screenshot of it at each (`<name>-<width>.png` in
 * `dir`); the viewport is put back afterwards. Returns the violations found,
 * each as {width, id, impact, help, targets}.
 */
async function audit(page, name, widths, dir) {
  const viewport = page.viewportSize();
  const found = [];
  for (const width of widths) {
    await page.setViewportSize({ width, height: viewport.height });
    if ((await page.evaluate(() => typeof window.axe)) === "undefined") await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    for (const violation of result.violations) {
      found.push({
        width,
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
      });
    }
    if (dir) await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(viewport);
  return found;
}

// ---------------------------------------------------------------------------
// Scenarios: each takes the page and its arguments, returns what to print.

/** Answers an invitation: pick the answer by its label, companions, comment, send. */
async function answer(page, args) {
  requireString(args, "url");
  if (!["yes", "no", "maybe"].includes(args.answer)) usage(`answer must be "yes", "no" or "maybe", got ${JSON.stringify(args.answer)}`);
  if (args.companions != null && !Number.isInteger(args.companions)) usage("companions must be an integer or null");
  if (args.comment != null && typeof args.comment !== "string") usage("comment must be a string or null");

  await open(page, args.url);
  const before = await pageState(page);
  // Where the confirm button ends on the first screen, before any scroll:
  // from an email button on a phone it must be visible at once.
  const button = await page.locator("form#answer-form button[type=submit]").first().boundingBox();
  before.confirm_bottom = button ? Math.ceil(button.y + button.height) : null;
  before.host = await textOf(page, "#host");
  if (args.first_screen) await page.screenshot({ path: args.first_screen, fullPage: false });

  // The label, as a person clicks it (its text is translated, its `for` is not).
  const label = page.locator(`label[for="answer-${args.answer}"]`);
  if ((await label.count()) === 0) throw new ScenarioError(`no label[for="answer-${args.answer}"] on ${page.url()}`);
  await label.first().click();
  if (!(await page.locator(`#answer-${args.answer}`).isChecked())) {
    throw new ScenarioError(`clicking label[for="answer-${args.answer}"] did not check #answer-${args.answer}`);
  }
  // From an email button, companions and comment wait behind "add…".
  const more = page.locator("details#more-answer");
  if ((args.companions != null || args.comment != null) && (await more.count()) > 0) {
    await more.locator("summary").click();
  }
  if (args.companions != null) await fill(page, 'input[name="companions"]', args.companions);
  if (args.comment != null) await fill(page, 'textarea[name="comment"]', args.comment);

  const response = await submit(page, "form#answer-form");
  const state = await pageState(page);
  const after = {
    url: page.url(),
    status: response.status(),
    redirects: await redirectsOf(response),
    confirmation: await textOf(page, "#confirmation"),
    checked: state.checked,
    companions: await valueOf(page, 'input[name="companions"]'),
    comment: await valueOf(page, 'textarea[name="comment"]'),
    horizontal_overflow: state.horizontal_overflow,
    inner_width: state.inner_width,
  };
  return { before, after };
}

/** Opens a page, whatever its status, and reads it. */
async function visit(page, args) {
  requireString(args, "url");
  const response = await open(page, args.url, { anyStatus: true });
  const state = await pageState(page);
  // With `audit`, axe-core's violations at the page's width (no screenshot:
  // the caller's `screenshot` is taken as for any visit).
  const axe = args.audit ? await audit(page, "visit", [page.viewportSize().width], null) : undefined;
  return {
    axe,
    status: response.status(),
    title: state.title,
    text: await page.locator("body").innerText(),
    lang: state.lang,
    horizontal_overflow: state.horizontal_overflow,
    inner_width: state.inner_width,
  };
}

/** An email's HTML, laid out at the viewport's width as a mail app would. */
async function email(page, args) {
  requireString(args, "html");
  requireString(args, "date");
  await page.setContent(args.html, { waitUntil: "load" });
  const bottomOf = (locator) => locator.first().evaluate((el) => el.getBoundingClientRect().bottom);
  const state = await pageState(page);
  return {
    yes_bottom: await bottomOf(page.locator('a[href*="answer=yes"]')),
    // The first visible line naming the date (the preheader is hidden).
    date_bottom: await bottomOf(page.getByText(args.date).filter({ visible: true })),
    horizontal_overflow: state.horizontal_overflow,
  };
}

/** Registers on a public event page with a name and an email address. */
async function register(page, args) {
  for (const key of ["url", "name", "email"]) requireString(args, key);
  await open(page, args.url);
  await fill(page, 'form#register-form input[name="name"]', args.name);
  await fill(page, 'form#register-form input[name="email"]', args.email);
  const response = await submit(page, "form#register-form");
  return {
    status: response.status(),
    text: await page.locator("body").innerText(),
    url: page.url(),
    redirects: await redirectsOf(response),
  };
}

/**
 * An organiser's whole morning: signs in from the emailed link, creates the
 * event, imports a CSV, publishes (through the page that asks first); then,
 * on a phone, checks guests in at the door (and a walk-in), removes a guest
 * (asked first), reads the results page, and opens the cancellation's
 * question without cancelling.
 * Args: {login_url, event: {field: value}, csv_path, check_in: [names], walk_in: {name, email},
 *        remove: name (optional), phone: {width, height}, screenshots: directory}
 */
async function organiser(page, args) {
  requireString(args, "login_url");
  requireString(args, "csv_path");
  const shot = async (name) => {
    if (args.screenshots) await page.screenshot({ path: join(args.screenshots, `${name}.png`), fullPage: true });
  };
  // Every screen of the journey, audited and photographed at both widths.
  const widths = [args.width, args.phone.width];
  const axe = {};
  const check = async (name) => {
    axe[name] = await audit(page, name, widths, args.screenshots);
  };
  // What she sees first, without scrolling: where the message after an action is.
  const firstScreen = async (name) => {
    if (args.screenshots) await page.screenshot({ path: join(args.screenshots, `${name}.png`) });
  };

  await open(page, args.login_url);
  await check("journey-01-sign-in");
  await submit(page, "form#login-form");
  const signed_in_at = new URL(page.url()).pathname;
  await check("journey-02-events-empty");

  await page.locator("#new-event").first().click();
  await page.waitForLoadState("load");
  await check("journey-03-new-event-form");
  for (const [name, value] of Object.entries(args.event)) {
    const control = page.locator(`form#event-form [name="${name}"]`).first();
    if ((await control.count()) === 0) throw new ScenarioError(`no field ${name} in the event form`);
    const tag = await control.evaluate((element) => element.tagName);
    if (tag === "SELECT") await control.selectOption(String(value));
    else await control.fill(String(value));
  }
  await submit(page, "form#event-form");
  const event_url = page.url();
  const plan = await textOf(page, "body");
  await check("journey-04-event-draft");

  await page.setInputFiles("#import-file", args.csv_path);
  await submit(page, "form#import-form");
  await shot("event-imported");
  await check("journey-05-event-imported");
  const import_counts = await textOf(page, "#import-counts");
  const report = await page.locator("#import-report tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      line: Number(row.querySelector("th").innerText.replace(/\D+/g, "")),
      status: row.querySelector(".badge").className.replace(/.*badge-/, ""),
      reason: row.querySelector("td:last-child").innerText.trim(),
    })),
  );
  const guests_listed = await page.locator("#guests tbody tr").count();

  // "Publier" asks first, saying how many invitations will leave; the
  // event page then says what left.
  await submit(page, "form#publish-form");
  await shot("publish-confirm");
  await check("journey-06-publish-confirm");
  const publish_reach = await textOf(page, "#confirm-reach");
  await submit(page, "form#confirm-form");
  await firstScreen("event-published");
  await check("journey-07-event-published");
  const publish_flash = await textOf(page, "#flash");
  const status_after_publish = await textOf(page, "#publish-form") === null ? "published" : "draft";

  // Answers the organiser records for guests who phoned.
  for (const { name, answer } of args.phoned ?? []) {
    const row = page.locator("#guests tbody tr", { hasText: name });
    if ((await row.count()) !== 1) throw new ScenarioError(`the guest list shows ${await row.count()} rows for ${name}`);
    // A row's actions are in its menu.
    await row.locator("details.row-menu > summary").click();
    await row.locator('select[name="answer"]').selectOption(answer);
    await submit(page, `#guests tbody tr:has-text("${name}") form[action$="/answer"]`);
  }

  // The guest menu opened, with her link, then the form to change the event.
  await page.locator("#guests tbody tr details.row-menu > summary").first().click();
  await check("journey-08-guest-menu");
  // Her own plan: its steps show once she picks it.
  await open(page, `${event_url}/edit`);
  await page.locator('label[for="plan_preset-custom"]').click();
  if (!(await page.locator("#nudge_amount_0").isVisible())) throw new ScenarioError("the plan's steps stay hidden");
  await check("journey-09-edit-form");
  await open(page, `${event_url}/preview`);
  await check("journey-10-email-preview");
  await open(page, `${event_url}?answer=yes`);
  await check("journey-11-guests-filtered");

  // At the door, on a phone.
  await page.setViewportSize({ width: args.phone.width, height: args.phone.height });
  await open(page, `${event_url}/check-in`);
  for (const name of args.check_in) {
    await fill(page, "#search", name);
    const row = page.locator("#guest-list li:visible", { hasText: name });
    if ((await row.count()) !== 1) throw new ScenarioError(`searching ${name} shows ${await row.count()} rows`);
    const landed = page.waitForResponse((r) => r.request().isNavigationRequest() && r.status() === 200);
    await row.locator('button[type="submit"]').first().click();
    await landed;
    await page.waitForLoadState("load");
  }
  await fill(page, '#walk-in-form [name="name"]', args.walk_in.name);
  await fill(page, '#walk-in-form [name="email"]', args.walk_in.email);
  await submit(page, "form#walk-in-form");
  await shot("check-in-phone");
  await check("journey-12-check-in");
  const counts = {
    came: await textOf(page, "#count-came"),
    people: await textOf(page, "#count-people"),
    walk_ins: await textOf(page, "#count-walk-ins"),
  };
  const phone_overflow = (await pageState(page)).horizontal_overflow;

  // On the phone too: removing a guest names her first, then says she is gone.
  let remove = null;
  if (args.remove) {
    await open(page, event_url);
    await page.locator(`#guests tbody tr:has-text("${args.remove}") details.row-menu > summary`).click();
    await submit(page, `#guests tbody tr:has-text("${args.remove}") form[action$="/remove"]`);
    await shot("remove-confirm-phone");
    await check("journey-13-remove-confirm");
    const question = await textOf(page, "#confirm-question");
    const confirm_overflow = (await pageState(page)).horizontal_overflow;
    await submit(page, "form#confirm-form");
    await firstScreen("removed-phone");
    await check("journey-14-removed");
    remove = { question, overflow: confirm_overflow, flash: await textOf(page, "#flash") };
  }

  await open(page, `${event_url}/results`);
  await shot("results-phone");
  await check("journey-15-results");
  const results = {};
  for (const id of ["invited", "answered", "came", "walk-ins", "no-shows"]) results[id] = await textOf(page, `#res-${id}`);
  const chart = {
    bars: await page.locator("figure svg rect").count(),
    dates: await page.locator("figure svg text[text-anchor]:not([text-anchor=end])").allTextContents(),
  };

  // Cancelling asks first, saying how many guests would be told; she keeps it.
  await open(page, `${event_url}/cancel`);
  await shot("cancel-confirm-phone");
  await check("journey-16-cancel-confirm");
  const cancel_reach = await textOf(page, "#confirm-reach");
  const kept = page.waitForResponse((r) => r.request().isNavigationRequest() && r.status() === 200);
  await page.locator("#confirm-back").first().click();
  await kept;
  await page.waitForLoadState("load");
  const cancel_kept = await textOf(page, "#event-status");
  await open(page, args.keys_url ?? new URL("/dashboard/keys", event_url).href);
  await check("journey-17-api-keys");

  return {
    axe,
    signed_in_at, event_url, plan, import_counts, report, guests_listed, publish_reach, publish_flash,
    status_after_publish, counts, phone_overflow, remove, results, chart, cancel_reach, cancel_kept,
  };
}

/**
 * The first run: `/` of a fresh install leads to the setup page; a wrong
 * code is refused (the page says why), then the right one creates her
 * account and lands on her dashboard. Screenshots: <prefix>setup,
 * <prefix>setup-wrong-code, <prefix>setup-done.
 */
async function setup(page, args) {
  for (const key of ["url", "code", "name", "email"]) requireString(args, key);
  const shot = async (name) => {
    if (args.screenshots) {
      await page.screenshot({ path: join(args.screenshots, `${args.prefix ?? ""}${name}.png`), fullPage: true });
    }
  };
  await open(page, args.url);
  const setup_path = new URL(page.url()).pathname;
  await shot("setup");

  await fill(page, 'form#setup-form input[name="code"]', "ABCD-EFGH-JKMN");
  await fill(page, 'form#setup-form input[name="name"]', args.name);
  await fill(page, 'form#setup-form input[name="email"]', args.email);
  const refused = await submit(page, "form#setup-form");
  const wrong = {
    status: refused.status(),
    error: await textOf(page, "#code-error"),
    name_kept: await valueOf(page, 'input[name="name"]'),
  };
  await shot("setup-wrong-code");

  await fill(page, 'form#setup-form input[name="code"]', args.code);
  const landed = await submit(page, "form#setup-form");
  const state = await pageState(page);
  await shot("setup-done");
  return {
    setup_path,
    wrong,
    landed_at: new URL(page.url()).pathname,
    status: landed.status(),
    text: await page.locator("body").innerText(),
    horizontal_overflow: state.horizontal_overflow,
  };
}

/**
 * The API reference with no internet: every request to another origin is
 * aborted and listed; waits until the viewer shows the operations.
 */
async function docs(page, args) {
  requireString(args, "url");
  const origin = new URL(args.url).origin;
  const requests = [];
  const outside = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) {
      requests.push(url);
      return route.continue();
    }
    outside.push(url);
    return route.abort();
  });
  await open(page, args.url);
  await page.locator(".opblock").first().waitFor();
  const state = await pageState(page);
  return {
    operations: await page.locator(".opblock").count(),
    title: state.title,
    requests,
    outside,
    horizontal_overflow: state.horizontal_overflow,
  };
}


/**
 * The organiser's month to month, on a desktop and on a phone: she makes a
 * series of an event whose community is already imported, invites the
 * community (asked first), checks a walk-in in at the door, adds the next
 * date, invites the community to it (the walk-in among them), and reads
 * who came. Args: {login_url, event_id, series_name, walk_in: {name, email},
 * phone: {width, height}, screenshots}.
 */
async function series(page, args) {
  requireString(args, "login_url");
  requireString(args, "event_id");
  const widths = [args.width, args.phone.width];
  const axe = {};
  const check = async (name) => {
    axe[name] = await audit(page, name, widths, args.screenshots);
  };
  await open(page, args.login_url);
  await submit(page, "form#login-form");
  await page.locator('nav a[href="/dashboard/series"]').first().click();
  await page.waitForLoadState("load");
  await check("series-01-list");
  await fill(page, "#series-name", args.series_name);
  await page.locator("#series-first").selectOption(args.event_id);
  await submit(page, "form#new-series-form");
  const series_url = page.url();
  const created_flash = await textOf(page, "#flash");
  await check("series-02-page");

  // Invite the community to the first date: asked first, with the count.
  await page.locator(".series-date a.button").first().click();
  await page.waitForLoadState("load");
  const invite_reach = await textOf(page, "#confirm-reach");
  await check("series-03-confirm-invite");
  await submit(page, "form#confirm-form");
  const invite_flash = await textOf(page, "#flash");

  // At the door, on a phone: a walk-in.
  await page.setViewportSize({ width: args.phone.width, height: args.phone.height });
  const origin = new URL(page.url()).origin;
  await open(page, `${origin}/dashboard/events/${args.event_id}/check-in`);
  await fill(page, '#walk-in-form [name="name"]', args.walk_in.name);
  await fill(page, '#walk-in-form [name="email"]', args.walk_in.email);
  await submit(page, "form#walk-in-form");
  await page.setViewportSize({ width: args.width, height: args.height });

  // The next date, then the community invited to it.
  await open(page, series_url);
  await submit(page, "form#next-date-form");
  const next_flash = await textOf(page, "#flash");
  const next_event = new URL(page.url()).pathname;
  await open(page, series_url);
  await page.locator(".series-date a.button").last().click();
  await page.waitForLoadState("load");
  const next_reach = await textOf(page, "#confirm-reach");
  await submit(page, "form#confirm-form");
  const next_invite_flash = await textOf(page, "#flash");
  await check("series-04-history");
  const members = await page.locator("#members tbody tr").evaluateAll((rows) =>
    rows.map((row) => ({
      name: row.querySelector("th").innerText.trim(),
      attendance: row.querySelector("td").innerText.trim(),
    })),
  );
  await page.setViewportSize({ width: args.phone.width, height: args.phone.height });
  const phone_overflow = (await pageState(page)).horizontal_overflow;
  await page.setViewportSize({ width: args.width, height: args.height });

  // The walk-in's own page: her history date by date.
  await page.locator("#members tbody a", { hasText: args.walk_in.name }).click();
  await page.waitForLoadState("load");
  const walk_in_history = await page.locator("#member-history tbody tr").allInnerTexts();
  await check("series-08-member");
  await open(page, series_url);

  // Its settings: every rhythm in words, then the defaults of the next dates.
  await page.locator("#series-settings-link").click();
  await page.waitForLoadState("load");
  const rhythms = await page.locator("#rule option").allInnerTexts();
  await check("series-05-settings");
  await page.locator("#defaults-link").click();
  await page.waitForLoadState("load");
  const defaults_heading = await textOf(page, "#form-heading");
  await check("series-06-defaults");
  // A date's page: duplicate it, or make its settings the next dates'.
  await open(page, `${origin}${next_event}#next-time`);
  await check("series-07-event-next-time");
  return {
    created_flash, invite_reach, invite_flash, next_flash, next_event, next_reach, next_invite_flash,
    members, phone_overflow, rhythms, defaults_heading, walk_in_history, axe,
  };
}

/**
 * A door helper's morning, on her phone: the invitation's page (a name for
 * her new account), the door (search, one tap each, a walk-in), then the
 * list to print, photographed at both widths and printed to A4.
 */
async function door(page, args) {
  requireString(args, "accept_url");
  const widths = [args.width, args.desktop_width ?? 1280];
  const axe = {};
  const check = async (name) => {
    axe[name] = await audit(page, name, widths, args.screenshots);
    // And what her phone shows first, without scrolling.
    if (args.screenshots) await page.screenshot({ path: join(args.screenshots, `${name}-first-screen.png`) });
  };
  await open(page, args.accept_url);
  await check("door-01-accept");
  await fill(page, "#accept-name", args.name);
  await submit(page, "form#accept-form");
  const landed_at = new URL(page.url()).pathname;
  await check("door-02-check-in");
  for (const name of args.check_in) {
    await fill(page, "#search", name);
    const row = page.locator("#guest-list li:visible", { hasText: name });
    if ((await row.count()) !== 1) throw new ScenarioError(`searching ${name} shows ${await row.count()} rows`);
    const landed = page.waitForResponse((r) => r.request().isNavigationRequest() && r.status() === 200);
    await row.locator('button[type="submit"]').first().click();
    await landed;
    await page.waitForLoadState("load");
  }
  await fill(page, '#walk-in-form [name="name"]', args.walk_in.name);
  await fill(page, '#walk-in-form [name="email"]', args.walk_in.email);
  await submit(page, "form#walk-in-form");
  await check("door-03-after-check-ins");
  const counts = {
    came: await textOf(page, "#count-came"),
    people: await textOf(page, "#count-people"),
    walk_ins: await textOf(page, "#count-walk-ins"),
  };
  const overflow = (await pageState(page)).horizontal_overflow;
  const back_links = await page.locator("p.back a").count();

  await page.locator("#door-list-link").click();
  await page.waitForLoadState("load");
  await check("door-04-door-list");
  const door_rows = await page.locator("#door-list tbody tr").count();
  const door_people = (await page.locator("#door-list tbody td.party").allTextContents()).reduce((n, t) => n + Number(t), 0);
  const list_overflow = (await pageState(page)).horizontal_overflow;
  await page.emulateMedia({ media: "print" });
  if (args.screenshots) {
    await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
    await page.screenshot({ path: join(args.screenshots, "door-05-door-list-print.png"), fullPage: true });
  }
  const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
  if (args.screenshots) (await import("node:fs")).writeFileSync(join(args.screenshots, "door-list.pdf"), pdf);
  const pdf_pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  return { landed_at, counts, overflow, back_links, axe, door_rows, door_people, list_overflow, pdf_pages };
}

/**
 * A guest answers an invitation with questions: "yes" without the required
 * one first (the page says so next to it), then ticks and types her answers
 * by their labels. Audits each screen with axe-core at the page's width and
 * saves it as `<prefix>-{blank,mistake,answered}-<width>.png` in `screenshots`.
 * `choices` are the ids of the radios/checkboxes to tick, `texts` {id: text}.
 */
async function questions(page, args) {
  requireString(args, "url");
  requireString(args, "screenshots");
  const width = page.viewportSize().width;
  const axe = {};
  await open(page, args.url);
  axe.blank = await audit(page, `${args.prefix}-blank`, [width], args.screenshots);
  await page.locator('label[for="answer-yes"]').first().click();
  for (const [id, text] of Object.entries(args.texts || {})) await fill(page, `#${id}`, text);
  await submit(page, "form#answer-form");
  const mistake = {
    error: await textOf(page, `#${args.required}-error`),
    kept: Object.fromEntries(await Promise.all(Object.keys(args.texts || {}).map(async (id) => [id, await valueOf(page, `#${id}`)]))),
    horizontal_overflow: (await pageState(page)).horizontal_overflow,
  };
  axe.mistake = await audit(page, `${args.prefix}-mistake`, [width], args.screenshots);
  for (const id of args.choices) await page.locator(`label[for="${id}"]`).first().click();
  await submit(page, "form#answer-form");
  const after = {
    url: page.url(),
    confirmation: await textOf(page, "#confirmation"),
    ticked: await page.evaluate(() => [...document.querySelectorAll('.question input:checked')].map((input) => input.id)),
    horizontal_overflow: (await pageState(page)).horizontal_overflow,
  };
  axe.answered = await audit(page, `${args.prefix}-answered`, [width], args.screenshots);
  return { mistake, after, axe };
}

/**
 * Clicks a button that posts its form back and waits for the page that
 * comes back (the question editor's buttons answer 200 with the form).
 */
async function press(page, selector) {
  const button = page.locator(selector);
  if ((await button.count()) === 0) throw new ScenarioError(`no ${selector} on ${page.url()}`);
  const landed = page.waitForResponse(
    (response) =>
      response.request().isNavigationRequest() &&
      response.frame() === page.mainFrame() &&
      !(response.status() >= 300 && response.status() < 400),
  );
  await button.first().click();
  const response = await landed;
  await page.waitForLoadState("load");
  return response;
}

/**
 * Waits for `id` to hold the focus. `autofocus` is applied at the page's next
 * rendering update, which may come after its load event on a busy machine:
 * a look right after the load could find the body focused.
 */
async function expectFocusOn(page, id, after) {
  const focused = () => page.evaluate(() => document.activeElement && document.activeElement.id);
  try {
    await page.waitForFunction((want) => document.activeElement && document.activeElement.id === want, id);
  } catch {
    throw new ScenarioError(`${after}, focus on ${await focused()} rather than ${id}`);
  }
}

/**
 * An organiser opens her event's form (`url`): looks at the venue's fields
 * (screenshots of their cards, `event-form-venue-<width>.png` and
 * `event-form-venue-summary-<width>.png`), adds the `questions`
 * ([{kind, label_fr, label_en, options_fr, options_en, required}]) with the
 * "add" button, then a third one left blank as a mistake, saves (refused:
 * the errors and what stayed typed), removes the blank one and saves.
 * Audits each screen with axe-core at the page's width; screenshots
 * `question-editor-<width>.png` (two questions typed),
 * `question-editor-mistake-<width>.png` and `question-editor-saved-<width>.png`,
 * with the editor, the error summary and the event page's list alone
 * (`-card`, `-mistake-card`, `-mistake-summary`, `-saved-list`).
 */
async function question_editor(page, args) {
  requireString(args, "url");
  requireString(args, "screenshots");
  const width = page.viewportSize().width;
  const axe = {};
  await open(page, args.url);
  axe.form = await audit(page, "event-form", [width], null);
  const card = (id) => page.locator(".card", { has: page.locator(id) }).first();
  await card("#venue_contact").screenshot({ path: join(args.screenshots, `event-form-venue-${width}.png`) });
  await card("#venue_summary_amount").screenshot({ path: join(args.screenshots, `event-form-venue-summary-${width}.png`) });
  const venue = {
    contact: await valueOf(page, "#venue_contact"),
    summary_amount: await valueOf(page, "#venue_summary_amount"),
    summary_unit: await valueOf(page, "#venue_summary_unit"),
    horizontal_overflow: (await pageState(page)).horizontal_overflow,
  };
  for (const [i, question] of args.questions.entries()) {
    await press(page, "#add-question");
    await expectFocusOn(page, `question_${i}_label_fr`, `question ${i + 1} added`);
    await page.locator(`#question_${i}_kind`).selectOption(question.kind);
    await fill(page, `#question_${i}_label_fr`, question.label_fr || "");
    await fill(page, `#question_${i}_label_en`, question.label_en || "");
    if (question.required) await page.locator(`label[for="question_${i}_required"]`).click();
    if (question.options_fr) await fill(page, `#question_${i}_options_fr`, question.options_fr);
    if (question.options_en) await fill(page, `#question_${i}_options_en`, question.options_en);
  }
  axe.typed = await audit(page, "question-editor", [width], args.screenshots);
  // The editor alone too: the whole form is too long to read at a glance.
  await page.locator("#questions").screenshot({ path: join(args.screenshots, `question-editor-card-${width}.png`) });
  const blank = args.questions.length;
  await press(page, "#add-question");
  await page.locator(`#question_${blank}_kind`).selectOption("several_choices");
  await submit(page, "form#event-form");
  const mistake = {
    errors: await page.evaluate(() => [...document.querySelectorAll(".question-edit .field-error")].map((e) => [e.id, e.innerText])),
    summary: await textOf(page, "#form-errors"),
    kept: await page.evaluate(() =>
      [...document.querySelectorAll(".question-edit input[type=text], .question-edit textarea, .question-edit select")].map((e) => [e.id, e.value]),
    ),
    horizontal_overflow: (await pageState(page)).horizontal_overflow,
  };
  axe.mistake = await audit(page, "question-editor-mistake", [width], args.screenshots);
  await page.locator("#questions").screenshot({ path: join(args.screenshots, `question-editor-mistake-card-${width}.png`) });
  await page.locator("#form-errors").screenshot({ path: join(args.screenshots, `question-editor-mistake-summary-${width}.png`) });
  await press(page, `button[name="question_action"][value="remove_${blank}"]`);
  await submit(page, "form#event-form");
  const saved = {
    url: page.url(),
    flash: await textOf(page, "#flash"),
    list: await textOf(page, "#event-questions"),
    horizontal_overflow: (await pageState(page)).horizontal_overflow,
  };
  axe.saved = await audit(page, "question-editor-saved", [width], args.screenshots);
  await page.locator("#event-questions").screenshot({ path: join(args.screenshots, `question-editor-saved-list-${width}.png`) });
  return { venue, mistake, saved, axe };
}

const SCENARIOS = { answer, visit, register, organiser, setup, docs, email, series, door, questions, question_editor };

// ---------------------------------------------------------------------------
// Running one scenario

function usage(message) {
  throw new UsageError(message);
}

function exitWithUsage(message) {
  process.stderr.write(
    `browser.mjs: ${message}\n` +
      `usage: node browser.mjs <${Object.keys(SCENARIOS).join("|")}> '<json: {width, height, screenshot?, mobile?, ...}>'\n`,
  );
  process.exit(2);
}

function requireString(args, key) {
  if (typeof args[key] !== "string" || args[key] === "") usage(`"${key}" must be a non-empty string`);
}

function parseArgs() {
  const [name, json] = process.argv.slice(2);
  const scenario = SCENARIOS[name];
  if (!scenario) usage(`unknown scenario ${JSON.stringify(name)}`);
  let args;
  try {
    args = JSON.parse(json ?? "");
  } catch (error) {
    usage(`the arguments are not JSON: ${error.message}`);
  }
  if (typeof args !== "object" || args === null) usage("the arguments must be a JSON object");
  for (const key of ["width", "height"]) {
    if (!Number.isInteger(args[key]) || args[key] <= 0) usage(`"${key}" must be a positive integer`);
  }
  if (args.screenshot != null && typeof args.screenshot !== "string") usage('"screenshot" must be a path');
  return { name, scenario, args };
}

/** Playwright's messages, without the terminal colours of its call logs. */
function plain(message) {
  return String(message).replace(/\x1b\[[0-9;]*m/g, "");
}

/** Where the screenshot of a failure goes. */
function failurePath(name, args) {
  if (args.screenshot) return args.screenshot.replace(/(\.png)?$/i, ".failure.png");
  return join(tmpdir(), `convive-browser-${name}-${process.pid}.failure.png`);
}

async function main() {
  let name, scenario, args;
  try {
    ({ name, scenario, args } = parseArgs());
  } catch (error) {
    if (error instanceof UsageError) exitWithUsage(error.message);
    throw error;
  }
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, timeout: 60_000 });
  } catch (error) {
    process.stderr.write(`browser.mjs: could not start ${executablePath} (no screenshot): ${plain(error.message)}\n`);
    process.exit(1);
  }

  let page;
  try {
    const context = await browser.newContext({
      viewport: { width: args.width, height: args.height },
      isMobile: Boolean(args.mobile),
      hasTouch: Boolean(args.mobile),
      ...(args.locale ? { locale: args.locale } : {}),
    });
    // A signed-in organiser's session, for pages behind the dashboard's sign-in.
    if (args.cookies) await context.addCookies(args.cookies);
    page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    page.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);

    const result = await scenario(page, args);
    if (args.screenshot) await page.screenshot({ path: args.screenshot, fullPage: true });
    process.stdout.write(JSON.stringify(result) + "\n");
  } catch (error) {
    if (error instanceof UsageError) {
      await browser.close();
      exitWithUsage(error.message);
    }
    let shot = "no screenshot: no page was open";
    if (page) {
      const path = failurePath(name, args);
      try {
        await page.screenshot({ path, fullPage: true, timeout: 5_000 });
        shot = `screenshot: ${path}`;
      } catch (shotError) {
        shot = `no screenshot (${plain(shotError.message).split("\n")[0]})`;
      }
    }
    const where = page ? ` at ${page.url()}` : "";
    process.stderr.write(`browser.mjs ${name} failed${where}: ${plain(error.message)}\n${shot}\n`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
