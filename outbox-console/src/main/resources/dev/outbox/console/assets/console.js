// The outbox console's page: polls the console's API and draws with Chart.js. Every value from
// the server is put in the page as text (textContent), never as HTML.
'use strict';

const POLL_MILLIS = 2000;
const CREDENTIALS_KEY = 'outbox-console-credentials';

const $ = (id) => document.getElementById(id);

const state = {
  session: { authenticated: false, user: null, signIn: [], anonymousRead: false },
  reading: false,
  filter: {},
  nextAfterId: null,
  charts: {},
  held: null,
  opened: new Set(), // the errors opened by a click, kept open when their table is redrawn
};

// ---- API ---------------------------------------------------------------------------------------

function csrfToken() {
  const cookie = document.cookie.split('; ').find((c) => c.startsWith('outbox-console-csrf='));
  return cookie ? cookie.substring(cookie.indexOf('=') + 1) : '';
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json' };
  const credentials = sessionStorage.getItem(CREDENTIALS_KEY);
  if (credentials) {
    headers.Authorization = credentials;
  }
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['X-Outbox-Csrf'] = csrfToken();
  }
  const response = await fetch('api/' + path, {
    method: options.method || 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: 'same-origin',
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.error || response.status + ' ' + response.statusText);
    error.status = response.status;
    throw error;
  }
  return body;
}

function query(params) {
  const search = new URLSearchParams();
  Object.entries(params).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, value);
    }
  });
  const text = search.toString();
  return text ? '?' + text : '';
}

// ---- formatting --------------------------------------------------------------------------------

const number = new Intl.NumberFormat();

// Each unit is used while the value, rounded to one decimal, stays below the limit.
const DURATION_UNITS = [['s', 1000, 60], ['min', 60 * 1000, 60], ['h', 3600 * 1000, 48]];

/** Every duration the page shows: ms below a second, then s, min, h and d with one decimal. */
function duration(millis) {
  if (millis === null || millis === undefined) {
    return '–';
  }
  if (Math.round(millis) < 1000) {
    return (millis < 10 && !Number.isInteger(millis) ? millis.toFixed(1) : Math.round(millis)) + ' ms';
  }
  for (const [unit, size, limit] of DURATION_UNITS) {
    const value = Math.round((millis / size) * 10) / 10;
    if (value < limit) {
      return value.toFixed(1) + ' ' + unit;
    }
  }
  return (millis / (86400 * 1000)).toFixed(1) + ' d';
}

function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString();
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (className) {
    td.className = className;
  }
  row.appendChild(td);
  return td;
}

/**
 * An error can be thousands of characters without a space: it wraps anywhere within a few lines,
 * whole in the tooltip, and a click opens it to scroll through.
 */
function errorCell(row, text, className, key) {
  const td = cell(row, '', className);
  if (!text) {
    return td;
  }
  td.title = text;
  const error = document.createElement('div');
  error.className = 'long-text';
  error.classList.toggle('open', state.opened.has(key));
  error.textContent = text;
  td.appendChild(error);
  td.addEventListener('click', () => {
    if (error.classList.toggle('open')) {
      state.opened.add(key);
    } else {
      state.opened.delete(key);
    }
  });
  return td;
}

function button(label, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'btn btn-sm ' + className;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function fill(tableId, items, render, empty) {
  const body = $(tableId).querySelector('tbody');
  body.replaceChildren();
  if (items.length === 0) {
    const row = body.insertRow();
    const td = cell(row, empty, 'text-body-secondary');
    td.colSpan = $(tableId).querySelectorAll('thead th').length;
    return;
  }
  items.forEach((item) => render(body.insertRow(), item));
}

function say(text, kind = 'success') {
  const message = $('message');
  message.className = 'alert alert-' + kind;
  message.textContent = text;
  message.hidden = false;
}

// ---- dialogs -----------------------------------------------------------------------------------

function confirmed(text, action) {
  return new Promise((resolve) => {
    const dialog = $('confirm');
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = action;
    let answer = false;
    $('confirm-ok').onclick = () => { answer = true; dialog.close(); };
    $('confirm-cancel').onclick = () => dialog.close();
    // Closed by a button or by Escape: either way the question is answered.
    dialog.onclose = () => {
      dialog.onclose = null;
      resolve(answer);
    };
    dialog.showModal();
  });
}

let signedIn = null;

/** Resolves true once a user is signed in, false if the dialog is cancelled. */
function signIn(why) {
  if (state.session.authenticated) {
    return Promise.resolve(true);
  }
  const methods = state.session.signIn;
  $('sign-in-why').textContent =
    methods.length === 0
      ? 'The console has no user configured: set outbox.console.token, or outbox.console.username and outbox.console.password.'
      : why;
  $('sign-in-token').hidden = !methods.includes('token');
  $('sign-in-basic').hidden = !methods.includes('basic');
  $('sign-in-submit').disabled = methods.length === 0;
  $('sign-in-error').textContent = '';
  $('sign-in-dialog').showModal();
  return new Promise((resolve) => {
    signedIn = resolve;
  });
}

async function submitSignIn(event) {
  event.preventDefault();
  try {
    await trySignIn();
  } catch (e) {
    sessionStorage.removeItem(CREDENTIALS_KEY);
    $('sign-in-error').textContent = e.message;
  }
}

async function trySignIn() {
  const token = $('token').value;
  const username = $('username').value;
  const credentials =
    !$('sign-in-basic').hidden && username
      ? 'Basic ' + btoa(unescape(encodeURIComponent(username + ':' + $('password').value)))
      : 'Bearer ' + token;
  sessionStorage.setItem(CREDENTIALS_KEY, credentials);
  try {
    await loadSession();
  } catch (e) {
    // 401: wrong; 429: too many wrong ones from here, and the answer says how long to wait.
    sessionStorage.removeItem(CREDENTIALS_KEY);
    $('sign-in-error').textContent = e.status === 401 ? 'Those credentials are wrong.' : e.message;
    return;
  }
  if (!state.session.authenticated) {
    sessionStorage.removeItem(CREDENTIALS_KEY);
    $('sign-in-error').textContent = 'Those credentials are wrong.';
    return;
  }
  $('token').value = '';
  $('password').value = '';
  $('sign-in-dialog').close();
}

/** Closed by signing in, by Cancel or by Escape: a replay or purge waiting on it learns which. */
function signInClosed() {
  if (signedIn) {
    signedIn(state.session.authenticated);
    signedIn = null;
  }
}

async function loadSession() {
  state.session = await api('session');
  $('user').textContent = state.session.authenticated ? 'signed in as ' + state.session.user : '';
  $('sign-in').hidden = state.session.authenticated;
  $('sign-out').hidden = !state.session.authenticated;
}

/** The session at the page's start: credentials kept from before that no longer work are dropped. */
async function restoreSession() {
  try {
    await loadSession();
  } catch (e) {
    if (e.status !== 401 && e.status !== 429) {
      throw e;
    }
    sessionStorage.removeItem(CREDENTIALS_KEY);
    await loadSession();
  }
}

function mayRead() {
  return state.session.authenticated || state.session.anonymousRead;
}

/** Polls the overview and lists the dead letters, once the console lets this page read them. */
function startReading() {
  if (state.reading || !mayRead()) {
    return;
  }
  state.reading = true;
  $('message').hidden = true;
  poll();
  search();
}

/** Reading needs a user (outbox.console.anonymous-read is off): nothing is shown without one. */
async function askToRead() {
  say('Sign in to see the outbox: its backlog, workers and dead letters.', 'info');
  if (await signIn('Sign in to see the backlog, the workers and the dead letters.')) {
    startReading();
  }
}

/** The credentials stopped working while the page was reading: it stops and asks again. */
async function stopReading() {
  state.reading = false;
  sessionStorage.removeItem(CREDENTIALS_KEY);
  await loadSession().catch(() => {});
  askToRead();
}

// ---- overview ----------------------------------------------------------------------------------

function chart(id, datasets, stacked, format = (value) => number.format(value)) {
  return new Chart($(id), {
    type: 'line',
    data: { labels: [], datasets: datasets.map((label) => ({ label, data: [], pointRadius: 2, borderWidth: 2, fill: stacked })) },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true, stacked, ticks: { callback: format } } },
      plugins: {
        legend: { labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (item) => item.dataset.label + ': ' + format(item.parsed.y) } },
      },
    },
  });
}

function draw(target, labels, series) {
  target.data.labels = labels;
  series.forEach((values, i) => {
    target.data.datasets[i].data = values;
  });
  target.update();
}

function showFigures(overview) {
  const backlog = overview.backlog;
  ['unsent', 'pending', 'retry', 'processing', 'failed'].forEach((name) => {
    $(name).textContent = backlog ? number.format(backlog[name]) : '?';
  });
  $('dead-letters').textContent = backlog ? number.format(backlog.deadLetters) : '?';
  const oldest = overview.oldestWaitingAgeMillis;
  $('oldest').textContent = !backlog ? '?' : oldest === null ? 'none' : duration(oldest);
  const last = overview.history[overview.history.length - 1];
  $('rate').textContent = last ? number.format(Math.round(last.publishedPerSecond)) : '–';
  const p99 = overview.history.map((s) => s.p99Millis).filter((v) => v !== null).pop();
  $('p99').textContent = duration(p99);
  $('instance').textContent = 'instance ' + overview.instanceId + ' · ' + overview.deadLetterPolicy.toLowerCase().replace('_', ' ');
  const failing = overview.workers.some((w) => w.state === 'failing');
  const status = $('status');
  status.textContent = !overview.running ? 'stopped' : failing ? 'failing' : 'running';
  status.className = 'badge ' + (!overview.running ? 'text-bg-secondary' : failing ? 'text-bg-danger' : 'text-bg-success');
  const error = $('tables-error');
  error.hidden = !overview.tablesError;
  error.textContent = overview.tablesError ? 'The outbox tables could not be read: ' + overview.tablesError : '';
}

function showCharts(history) {
  const labels = history.map((s) => clock(s.at));
  const backlog = (name) => history.map((s) => (s.backlog ? s.backlog[name] : null));
  draw(state.charts.backlog, labels, [backlog('pending'), backlog('retry'), backlog('processing'), backlog('failed')]);
  draw(state.charts.rate, labels, [history.map((s) => Math.round(s.publishedPerSecond))]);
  draw(state.charts.latency, labels, [history.map((s) => s.p50Millis), history.map((s) => s.p99Millis)]);
}

function showTables(overview) {
  fill('workers', overview.workers, (row, w) => {
    cell(row, w.name);
    const badge = document.createElement('span');
    badge.className = 'badge ' + (w.state === 'running' ? 'text-bg-success' : w.state === 'failing' ? 'text-bg-danger' : 'text-bg-secondary');
    badge.textContent = w.state + (w.failingSince ? ' since ' + clock(w.failingSince) : '');
    row.insertCell().appendChild(badge);
    cell(row, number.format(w.runs));
    cell(row, w.lastRunAt ? clock(w.lastRunAt) : '');
    if (w.lastError) {
      // On a row of its own, the card's width: a column beside the others would squeeze them.
      row.classList.add('failing');
      errorCell(row.parentElement.insertRow(), w.lastError, 'worker-error text-danger', 'worker ' + w.name).colSpan = 4;
    }
  }, 'no worker');
  fill('leases', overview.leases, (row, l) => {
    cell(row, l.owner || '(none)');
    cell(row, number.format(l.events));
    cell(row, (l.until ? clock(l.until) : '') + (l.expired ? ' (expired)' : ''), l.expired ? 'text-danger' : '');
  }, 'none written');
  $('leases-note').textContent =
    'On PostgreSQL a dispatcher holds most claims by its open transaction, without a lease in the table.';
  $('held-summary').textContent =
    overview.heldTotal > overview.held.length
      ? number.format(overview.held.length) + ' of ' + number.format(overview.heldTotal) + ' shown, the longest held first'
      : '';
  const held = JSON.stringify(overview.held);
  if (held === state.held) {
    return; // unchanged: an aggregate's list of events opened below stays open
  }
  state.held = held;
  fill('held', overview.held, (row, h) => {
    cell(row, h.aggregateType + ' / ' + h.aggregateId);
    cell(row, number.format(h.waitingEvents));
    cell(row, time(h.oldestWaitingCreatedAt));
    row.insertCell().appendChild(button('Events', 'btn-outline-secondary', () => showUnsent(row, h)));
  }, 'none');
}

async function showUnsent(row, held) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains('unsent')) {
    next.remove();
    return;
  }
  let events;
  try {
    events = await api('unsent' + query({ aggregateType: held.aggregateType, aggregateId: held.aggregateId }));
  } catch (e) {
    say(e.message, 'danger');
    return;
  }
  const detail = document.createElement('tr');
  detail.className = 'unsent';
  const td = detail.insertCell();
  td.colSpan = 4;
  const list = document.createElement('ol');
  list.className = 'small mb-0';
  events.forEach((e) => {
    const item = document.createElement('li');
    item.textContent = e.eventId + ' · ' + e.eventType + ' · ' + e.status + ' · ' + time(e.createdAt);
    list.appendChild(item);
  });
  td.appendChild(list);
  row.after(detail);
}

async function poll() {
  if (!state.reading) {
    return;
  }
  try {
    const overview = await api('overview');
    showFigures(overview);
    showCharts(overview.history);
    showTables(overview);
  } catch (e) {
    if (e.status === 401 && !state.session.anonymousRead) {
      stopReading();
      return;
    }
    $('status').textContent = 'unreachable';
    $('status').className = 'badge text-bg-warning';
  }
  setTimeout(poll, POLL_MILLIS);
}

// ---- dead letters ------------------------------------------------------------------------------

function readFilter() {
  const instant = (id) => ($(id).value ? new Date($(id).value).toISOString() : '');
  return {
    eventType: $('filter-type').value.trim(),
    aggregateType: $('filter-aggregate-type').value.trim(),
    aggregateId: $('filter-aggregate-id').value.trim(),
    from: instant('filter-from'),
    to: instant('filter-to'),
    error: $('filter-error').value.trim(),
  };
}

function describe(filter) {
  const parts = Object.entries(filter).filter(([, v]) => v).map(([k, v]) => k + ' ' + v);
  return parts.length ? 'matching ' + parts.join(', ') : 'of every kind (no filter)';
}

/**
 * The fields were refused, or the search failed: the rows of an earlier search go, as the fields
 * no longer select them, and why is said beside the fields.
 */
function searchFailed(message) {
  $('dead-letter-table').querySelector('tbody').replaceChildren();
  $('dead-letter-table').classList.remove('stale');
  $('filter-stale').hidden = true;
  state.nextAfterId = null;
  $('more').hidden = true;
  $('dead-letter-summary').textContent = '';
  $('filter-problem').textContent = message;
  $('filter-problem').hidden = false;
}

/** The fields were edited since the search: its rows may not be what they select. */
function filterEdited() {
  const stale = JSON.stringify(readFilter()) !== JSON.stringify(state.filter);
  $('dead-letter-table').classList.toggle('stale', stale);
  $('filter-stale').hidden = !stale || !$('filter-problem').hidden;
}

async function search(append = false) {
  if (!append) {
    state.filter = readFilter();
    state.nextAfterId = null;
  }
  try {
    const page = await api('dead-letters' + query({ ...state.filter, afterId: state.nextAfterId }));
    const body = $('dead-letter-table').querySelector('tbody');
    if (!append) {
      body.replaceChildren();
      $('filter-problem').hidden = true;
      filterEdited();
    }
    page.items.forEach((d) => {
      const row = body.insertRow();
      row.dataset.eventId = d.eventId;
      cell(row, d.eventId);
      cell(row, d.eventType);
      cell(row, d.aggregateType + ' / ' + d.aggregateId);
      cell(row, d.attempts);
      cell(row, time(d.deadLetteredAt));
      errorCell(row, d.lastError, 'error', 'dead letter ' + d.eventId);
      const actions = row.insertCell();
      actions.className = 'text-nowrap';
      actions.append(
        button('Open', 'btn-outline-secondary open me-1', () => open(d.eventId)),
        button('Replay', 'btn-outline-primary replay me-1', () => replay(d.eventId)),
        button('Purge', 'btn-outline-danger purge', () => purge(d.eventId)),
      );
    });
    state.nextAfterId = page.nextAfterId;
    $('more').hidden = page.nextAfterId == null;
    const shown = body.querySelectorAll('tr').length;
    $('dead-letter-summary').textContent = shown === 0 ? 'No dead letter matches.' : shown + ' shown' + (page.nextAfterId == null ? '' : ', more to load');
  } catch (e) {
    if (append) {
      say(e.message, 'danger'); // the rows shown are still those of the fields searched
    } else {
      searchFailed(e.message);
    }
  }
}

async function open(eventId) {
  try {
    const detail = await api('dead-letter' + query({ eventId }));
    const d = detail.deadLetter;
    $('detail-title').textContent = 'Dead letter ' + d.eventId;
    const fields = $('detail-fields');
    fields.replaceChildren();
    [['Event type', d.eventType], ['Aggregate', d.aggregateType + ' / ' + d.aggregateId], ['Topic', d.topic],
      ['Attempts', d.attempts], ['Written', time(d.createdAt)], ['Dead-lettered', time(d.deadLetteredAt)],
      ['Trace', detail.traceparent]].forEach(([name, value]) => {
      const dt = document.createElement('dt');
      dt.className = 'col-3';
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.className = 'col-9';
      dd.textContent = value === null || value === undefined ? '' : String(value);
      fields.append(dt, dd);
    });
    $('detail-error').textContent = d.lastError || '';
    const headers = $('detail-headers');
    headers.replaceChildren();
    if (!detail.contentShown) {
      headers.textContent = 'Sign in to see the headers and the payload.';
      $('detail-payload').textContent = '';
    } else {
      const entries = Object.entries(detail.headers || {});
      headers.textContent = entries.length ? '' : 'none';
      entries.forEach(([name, value]) => {
        const line = document.createElement('div');
        line.textContent = name + ': ' + value;
        headers.appendChild(line);
      });
      let payload = detail.payload;
      try {
        payload = JSON.stringify(JSON.parse(payload), null, 2);
      } catch (ignored) {
        // not JSON: shown as it is
      }
      $('detail-payload').textContent = payload;
    }
    $('detail-replay').onclick = async () => { if (await replay(d.eventId)) $('detail').close(); };
    $('detail-purge').onclick = async () => { if (await purge(d.eventId)) $('detail').close(); };
    $('detail').showModal();
  } catch (e) {
    say(e.message, 'danger');
  }
}

async function change(path, body, why) {
  if (!(await signIn(why))) {
    return null;
  }
  try {
    return await api(path, { method: 'POST', body });
  } catch (e) {
    if (e.status === 401) {
      sessionStorage.removeItem(CREDENTIALS_KEY);
      await loadSession();
      if (!mayRead()) {
        stopReading();
        return null;
      }
    }
    say(e.message, 'danger');
    return null;
  }
}

async function replay(eventId) {
  const done = await change('dead-letter/replay', { eventId }, 'Sign in to replay ' + eventId + '.');
  if (done) {
    say(done.message[0].toUpperCase() + done.message.substring(1) + ': it is back in the outbox.');
    await search();
  }
  return done !== null;
}

async function purge(eventId) {
  if (!(await confirmed('Purge dead letter ' + eventId + '? It is deleted for good.', 'Purge'))) {
    return false;
  }
  const done = await change('dead-letter/purge', { eventId }, 'Sign in to purge ' + eventId + '.');
  if (done) {
    say(done.message[0].toUpperCase() + done.message.substring(1) + '.');
    await search();
  }
  return done !== null;
}

async function bulk(action) {
  const filter = readFilter();
  let count;
  try {
    count = (await api('dead-letters/count' + query(filter))).count;
  } catch (e) {
    if (e.status === 400) {
      searchFailed(e.message);
    } else {
      say(e.message, 'danger');
    }
    return;
  }
  if (count === 0) {
    say('No dead letter matches.', 'info');
    return;
  }
  const verb = action === 'replay' ? 'Replay' : 'Purge';
  const text = verb + ' ' + number.format(count) + ' dead letter(s) ' + describe(filter) + '?' +
    (action === 'purge' ? ' They are deleted for good.' : '');
  if (!(await confirmed(text, verb + ' ' + number.format(count)))) {
    return;
  }
  let job = await change('bulk', { action, filter, expected: count }, 'Sign in to ' + action + ' dead letters.');
  if (!job) {
    return;
  }
  $('progress').hidden = false;
  try {
    while (true) {
      const handled = job.done + job.gone + job.refused;
      const percent = job.total === 0 ? 100 : Math.round((100 * handled) / job.total);
      $('progress-bar').style.width = percent + '%';
      $('progress-text').textContent = verb + ': ' + handled + ' of ' + job.total;
      if (job.finished) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      job = await api('bulk/' + encodeURIComponent(job.id));
    }
  } catch (e) {
    say('Lost track of the ' + action + ': ' + e.message + '. Search again to see what is left.', 'warning');
    await search();
    return;
  } finally {
    setTimeout(() => { $('progress').hidden = true; }, 1500);
  }
  const past = action === 'replay' ? 'Replayed' : 'Purged';
  say(past + ' ' + job.done + ' of ' + job.total + ' dead letter(s)' +
    (job.gone ? '; ' + job.gone + ' already gone' : '') +
    (job.refused ? '; ' + job.refused + ' refused: their event ids are in the outbox again' : '') +
    (job.error ? '; stopped: ' + job.error : '') + '.', job.error ? 'danger' : 'success');
  await search();
}

// ---- start -------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', async () => {
  state.charts.backlog = chart('backlog-chart', ['pending', 'retry', 'processing', 'failed'], true);
  state.charts.rate = chart('rate-chart', ['published/s'], false);
  state.charts.latency = chart('latency-chart', ['p50', 'p99'], false, duration);
  $('filter').addEventListener('submit', (e) => { e.preventDefault(); search(); });
  $('filter').addEventListener('input', filterEdited);
  $('clear').addEventListener('click', () => { $('filter').reset(); search(); });
  $('more').addEventListener('click', () => search(true));
  $('replay-matching').addEventListener('click', () => bulk('replay'));
  $('purge-matching').addEventListener('click', () => bulk('purge'));
  $('sign-in').addEventListener('click', async () => {
    if (await signIn('Sign in to replay and purge dead letters, and to see their payloads.')) {
      startReading();
    }
  });
  $('sign-out').addEventListener('click', async () => {
    sessionStorage.removeItem(CREDENTIALS_KEY);
    if (!state.session.anonymousRead) {
      location.reload(); // what was read as the user goes with them
      return;
    }
    await loadSession();
  });
  $('sign-in-form').addEventListener('submit', submitSignIn);
  $('sign-in-cancel').addEventListener('click', () => $('sign-in-dialog').close());
  $('sign-in-dialog').addEventListener('close', signInClosed);
  document.querySelectorAll('[data-close]').forEach((b) => b.addEventListener('click', () => b.closest('dialog').close()));
  try {
    await restoreSession();
  } catch (e) {
    say(e.message, 'danger');
    return;
  }
  if (mayRead()) {
    startReading();
  } else {
    askToRead();
  }
});
