// The Sluice console: one page, rendered with lit-html templates from the state below. Every value shown goes
// through a template binding, which sets text (never markup), so a message body of <script> is shown, not run.
// Data comes from the admin API (/admin/...) with the session cookie and its CSRF token.
import { html, render, nothing } from 'lit';

const REFRESH_MS = 2000;
const STATE_LABELS = { visible: 'visible', inFlight: 'in flight', delayed: 'delayed' };

const state = {
  phase: 'loading', // loading | off | signin | ready
  session: null, // {role, accountId, accessKeyId}
  csrf: null,
  route: { view: 'queues' },
  queues: [],
  queuesNext: null,
  detail: null,
  messages: null, // {items, next, state}
  expanded: new Set(),
  tenants: [],
  tenantKeys: {},
  quotas: null, // GET /admin/quotas: {defaults, fifoThroughput, tenants: [usage]}
  quotaForm: null, // account id whose quota form is open
  attributes: [],
  signinMode: 'token',
  confirm: null, // {title, text, requireText, run}
  error: null,
  notice: null,
  busy: false,
};

// ---- the admin API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (state.csrf) headers['X-CSRF-Token'] = state.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// The admin API path of the route's queue (with `suffix`, e.g. '/messages') and its query: the queue's region, when the
// route names one (else the server's default region), and `params`.
function queueApi({ accountId, name, region }, suffix = '', params = null) {
  const query = new URLSearchParams(params || {});
  if (region) query.set('region', region);
  const path = `/admin/queues/${encodeURIComponent(accountId)}/${encodeURIComponent(name)}${suffix}`;
  return query.toString() ? `${path}?${query}` : path;
}

// ---- routing: #/queues, #/queues/{account}/{name} (default region), #/queues/{region}/{account}/{name}, #/tenants

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter((p) => p).map(decodeURIComponent);
  if (parts[0] === 'queues' && parts.length === 3) return { view: 'queue', accountId: parts[1], name: parts[2] };
  if (parts[0] === 'queues' && parts.length === 4) {
    return { view: 'queue', region: parts[1], accountId: parts[2], name: parts[3] };
  }
  if (parts[0] === 'tenants') return { view: 'tenants' };
  return { view: 'queues' };
}

function go(hash) {
  if (location.hash === hash) onRoute();
  else location.hash = hash;
}

async function onRoute() {
  state.route = parseRoute();
  state.error = null;
  state.notice = null;
  state.detail = null;
  state.messages = null;
  state.expanded = new Set();
  state.attributes = [];
  update();
  await load();
  if (state.route.view === 'queue' && state.detail) await peek();
}

// ---- loading data

async function load() {
  if (state.phase !== 'ready') return;
  try {
    if (state.route.view === 'queues') {
      const page = await api('GET', '/admin/queues?limit=1000');
      state.queues = page.queues;
      state.queuesNext = page.next || null;
    } else if (state.route.view === 'queue') {
      state.detail = await api('GET', queueApi(state.route));
    } else if (state.route.view === 'tenants') {
      state.tenants = await api('GET', '/admin/tenants');
      state.quotas = await api('GET', '/admin/quotas');
    }
  } catch (e) {
    fail(e);
  }
  update();
}

async function peek(more = false) {
  const filter = state.messages ? state.messages.state : '';
  const params = new URLSearchParams({ limit: '50' });
  if (filter) params.set('state', filter);
  if (more && state.messages && state.messages.next) params.set('next', state.messages.next);
  try {
    const page = await api('GET', queueApi(state.route, '/messages', params));
    const items = more ? state.messages.items.concat(page.messages) : page.messages;
    state.messages = { items, next: page.next || null, state: filter };
  } catch (e) {
    fail(e);
  }
  update();
}

function fail(e) {
  if (e instanceof ApiError && e.status === 401) {
    state.phase = 'signin';
    state.session = null;
    state.csrf = null;
    state.error = 'Your session has ended; sign in again.';
  } else {
    state.error = e.message;
  }
  update();
}

async function act(work, notice) {
  state.busy = true;
  state.error = null;
  state.notice = null;
  update();
  try {
    await work();
    if (notice) state.notice = notice;
  } catch (e) {
    fail(e);
  } finally {
    state.busy = false;
    update();
  }
}

// ---- session

async function start() {
  try {
    const session = await api('GET', '/admin/session');
    signedIn(session);
  } catch (e) {
    state.phase = e instanceof ApiError && e.status === 404 ? 'off' : 'signin';
    update();
    return;
  }
  await onRoute();
}

function signedIn(session) {
  state.session = session;
  state.csrf = session.csrfToken || null;
  state.phase = 'ready';
}

async function signIn(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const body =
    state.signinMode === 'token'
      ? { token: form.get('token') }
      : { accessKeyId: form.get('accessKeyId'), secretAccessKey: form.get('secretAccessKey') };
  state.error = null;
  try {
    signedIn(await api('POST', '/admin/session', body));
    await onRoute();
  } catch (e) {
    state.error = e.message;
    update();
  }
}

async function signOut() {
  try {
    await api('DELETE', '/admin/session');
  } catch {
    // Signed out either way.
  }
  state.phase = 'signin';
  state.session = null;
  state.csrf = null;
  update();
}

// ---- queue actions

function confirmThen(title, text, requireText, run) {
  state.confirm = { title, text, requireText, run };
  update();
  setTimeout(() => (document.getElementById('confirm-input') || document.getElementById('confirm-ok'))?.focus());
}

async function confirmed(event) {
  event.preventDefault();
  const confirm = state.confirm;
  if (confirm.requireText) {
    const typed = new FormData(event.target).get('typed');
    if (typed !== confirm.requireText) {
      state.error = `Type ${confirm.requireText} to confirm.`;
      update();
      return;
    }
  }
  state.confirm = null;
  await confirm.run();
}

function purge() {
  const { name } = state.route;
  confirmThen('Purge queue', `Delete every message in ${name}? This cannot be undone.`, null, () =>
    act(async () => {
      await api('POST', queueApi(state.route, '/purge'));
      await load();
      await peek();
    }, `Purged ${name}.`),
  );
}

function deleteQueue() {
  const { name } = state.route;
  confirmThen('Delete queue', `Delete ${name} and all its messages? Type the queue name to confirm.`, name, () =>
    act(async () => {
      await api('DELETE', queueApi(state.route));
      go('#/queues');
    }, `Deleted ${name}.`),
  );
}

async function send(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const message = { body: form.get('body') };
  const delay = form.get('delaySeconds');
  if (delay) message.delaySeconds = Number(delay);
  if (form.get('messageGroupId')) message.messageGroupId = form.get('messageGroupId');
  if (form.get('messageDeduplicationId')) message.messageDeduplicationId = form.get('messageDeduplicationId');
  const attributes = {};
  state.attributes.forEach((_, i) => {
    const attributeName = form.get(`attr-name-${i}`);
    if (!attributeName) return;
    const dataType = form.get(`attr-type-${i}`);
    const value = form.get(`attr-value-${i}`);
    attributes[attributeName] =
      dataType === 'Binary' ? { dataType, binaryValue: btoa(value) } : { dataType, stringValue: value };
  });
  if (Object.keys(attributes).length) message.messageAttributes = attributes;
  await act(async () => {
    const sent = await api('POST', queueApi(state.route, '/messages'), message);
    state.notice = `Sent message ${sent.messageId}.`;
    event.target.reset();
    state.attributes = [];
    await load();
    await peek();
  });
}

async function redrive(event) {
  event.preventDefault();
  const rate = new FormData(event.target).get('rate');
  const request = rate ? { maxNumberOfMessagesPerSecond: Number(rate) } : {};
  await act(async () => {
    await api('POST', queueApi(state.route, '/move-tasks'), request);
    await load();
  }, 'Redrive started: messages move back to their source queues.');
}

function cancelTask(handle) {
  return act(async () => {
    await api('POST', queueApi(state.route, `/move-tasks/${encodeURIComponent(handle)}/cancel`));
    await load();
  }, 'Redrive cancelled.');
}

// ---- tenants

async function createTenant(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const tenant = { accountId: form.get('accountId') };
  if (form.get('name')) tenant.name = form.get('name');
  if (form.get('maxQueues')) tenant.maxQueues = Number(form.get('maxQueues'));
  if (form.get('maxMessages')) tenant.maxMessages = Number(form.get('maxMessages'));
  await act(async () => {
    await api('POST', '/admin/tenants', tenant);
    event.target.reset();
    await load();
  }, `Created tenant ${tenant.accountId}.`);
}

async function showKeys(accountId) {
  await act(async () => {
    const tenant = await api('GET', `/admin/tenants/${accountId}`);
    state.tenantKeys[accountId] = tenant.accessKeys || [];
  });
}

const tenantAction = (method, path, notice, accountId) =>
  act(async () => {
    const result = await api(method, path);
    await load();
    if (accountId) state.tenantKeys[accountId] = (await api('GET', `/admin/tenants/${accountId}`)).accessKeys || [];
    if (result && result.secretAccessKey) {
      state.notice = `New key ${result.accessKeyId}, secret ${result.secretAccessKey} (shown only this once).`;
    }
  }, notice);

async function refreshQuotas() {
  try {
    state.quotas = await api('GET', '/admin/quotas');
  } catch (e) {
    fail(e);
  }
  update();
}

async function setQuota(event, accountId) {
  event.preventDefault();
  const form = new FormData(event.target);
  const quota = {};
  for (const field of ['requestsPerSecond', 'requestBurst', 'bytesPerSecond', 'bytesBurst']) {
    if (form.get(field)) quota[field] = Number(form.get(field));
  }
  await act(async () => {
    await api('PUT', `/admin/tenants/${accountId}/quota`, quota);
    state.quotaForm = null;
    await load();
  }, `Quota of ${accountId} set; it applies from the next request.`);
}

const removeQuota = (accountId) =>
  act(async () => {
    await api('DELETE', `/admin/tenants/${accountId}/quota`);
    state.quotaForm = null;
    await load();
  }, `${accountId} has the default quota again.`);

function deleteTenant(accountId) {
  confirmThen('Delete tenant', `Delete tenant ${accountId} and its keys?`, accountId, () =>
    act(async () => {
      await api('DELETE', `/admin/tenants/${accountId}`);
      delete state.tenantKeys[accountId];
      await load();
    }, `Deleted tenant ${accountId}.`),
  );
}

// ---- views

const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–');

function attributeText(attribute) {
  if (attribute.binaryValue !== undefined) return `${attribute.dataType} (${atob(attribute.binaryValue).length} bytes)`;
  return `${attribute.dataType}: ${attribute.stringValue}`;
}

function signinView() {
  const token = state.signinMode === 'token';
  return html`
    <main class="signin">
      <h1>Sluice console</h1>
      <div class="tabs">
        <button class=${token ? 'tab active' : 'tab'} id="signin-token-tab"
          @click=${() => { state.signinMode = 'token'; update(); }}>Admin token</button>
        <button class=${token ? 'tab' : 'tab active'} id="signin-key-tab"
          @click=${() => { state.signinMode = 'key'; update(); }}>Tenant key</button>
      </div>
      <form @submit=${signIn} autocomplete="off">
        ${token
          ? html`<label>Admin token <input id="login-token" name="token" type="password" required></label>`
          : html`<label>Access key id <input id="login-key-id" name="accessKeyId" required></label>
              <label>Secret access key <input id="login-secret" name="secretAccessKey" type="password" required></label>`}
        <button id="login-submit" type="submit">Sign in</button>
      </form>
      ${messagesView()}
    </main>`;
}

function messagesView() {
  return html`
    ${state.error ? html`<div id="error" class="error" role="alert">${state.error}</div>` : nothing}
    ${state.notice ? html`<div id="notice" class="notice">${state.notice}</div>` : nothing}`;
}

function header() {
  const session = state.session;
  return html`
    <header>
      <a class="brand" href="#/queues">Sluice</a>
      <nav>
        <a id="nav-queues" href="#/queues" class=${state.route.view !== 'tenants' ? 'active' : ''}>Queues</a>
        ${session.role === 'admin'
          ? html`<a id="nav-tenants" href="#/tenants" class=${state.route.view === 'tenants' ? 'active' : ''}>Tenants</a>`
          : nothing}
      </nav>
      <span class="who" id="who">${session.role === 'admin' ? 'admin' : `tenant ${session.accountId}`}</span>
      <button class="link" id="sign-out" @click=${signOut}>Sign out</button>
    </header>`;
}

function queuesView() {
  return html`
    <h1>Queues</h1>
    <p class="muted">Counts refresh every ${REFRESH_MS / 1000} s.</p>
    <table id="queues">
      <thead><tr><th>Account</th><th>Region</th><th>Queue</th><th>Type</th><th class="n">Visible</th>
        <th class="n">In flight</th><th class="n">Delayed</th><th>Created</th></tr></thead>
      <tbody>
        ${state.queues.length === 0
          ? html`<tr><td colspan="8" class="muted">No queues yet.</td></tr>`
          : state.queues.map(
              (q) => html`
                <tr data-queue=${`${q.accountId}/${q.name}`} data-region=${q.region}>
                  <td>${q.accountId}</td>
                  <td class="region">${q.region}</td>
                  <td><a class="queue-link" href=${`#/queues/${[q.region, q.accountId, q.name].map(encodeURIComponent).join('/')}`}>${q.name}</a></td>
                  <td>${q.fifo ? 'FIFO' : 'standard'}</td>
                  <td class="n visible">${q.visible}</td>
                  <td class="n in-flight">${q.inFlight}</td>
                  <td class="n delayed">${q.delayed}</td>
                  <td>${when(q.created)}</td>
                </tr>`,
            )}
      </tbody>
    </table>
    ${state.queuesNext ? html`<p class="muted">More queues than shown; use the admin API to page through them.</p>` : nothing}`;
}

function queueView() {
  const d = state.detail;
  if (!d) return html`<h1>${state.route.name}</h1><p class="muted">Loading…</p>`;
  const q = d.queue;
  return html`
    <p><a href="#/queues">← Queues</a></p>
    <h1 id="queue-title">${q.name} <span class="badge">${q.fifo ? 'FIFO' : 'standard'}</span></h1>
    <p class="muted mono">${q.url}<br>${q.arn}</p>
    <div class="counts">
      <div><span id="count-visible">${q.visible}</span> visible</div>
      <div><span id="count-in-flight">${q.inFlight}</span> in flight</div>
      <div><span id="count-delayed">${q.delayed}</span> delayed</div>
      <div class="actions">
        <button id="purge" class="warn" ?disabled=${state.busy} @click=${purge}>Purge…</button>
        <button id="delete-queue" class="danger" ?disabled=${state.busy} @click=${deleteQueue}>Delete queue…</button>
      </div>
    </div>
    ${browserView()}
    <div class="columns">
      <section>${sendView(q)}</section>
      <section>${relationsView(d)}</section>
    </div>
    <div class="columns">
      <section>
        <h2>Attributes</h2>
        <table id="attributes" class="kv">
          ${Object.entries(d.attributes).map(([k, v]) => html`<tr><th>${k}</th><td class="mono">${v}</td></tr>`)}
        </table>
      </section>
      <section>
        <h2>Tags</h2>
        ${Object.keys(d.tags || {}).length === 0
          ? html`<p class="muted">No tags.</p>`
          : html`<table id="tags" class="kv">
              ${Object.entries(d.tags).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}
            </table>`}
        <h2>Policy</h2>
        ${d.policy ? html`<pre id="policy" class="mono">${pretty(d.policy)}</pre>` : html`<p class="muted">No policy.</p>`}
      </section>
    </div>`;
}

function pretty(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

function relationsView(d) {
  const sources = d.deadLetterSourceQueues || [];
  return html`
    <h2>Redrive</h2>
    ${d.redrivePolicy
      ? html`<p id="redrive-policy">Dead-letter queue: <span class="mono">${d.redrivePolicy.deadLetterTargetArn}</span>,
          after ${d.redrivePolicy.maxReceiveCount} receives.</p>`
      : html`<p class="muted">No redrive policy.</p>`}
    ${sources.length === 0
      ? nothing
      : html`
          <p>Dead-letter queue of:
            ${sources.map(
              (s) => html`<a class="source-queue" href=${`#/queues/${[s.region, s.accountId, s.name].map(encodeURIComponent).join('/')}`}>${s.name}</a> `,
            )}</p>
          <form class="inline" @submit=${redrive}>
            <label>Messages per second <input id="redrive-rate" name="rate" type="number" min="1" max="500" placeholder="500"></label>
            <button id="redrive-start" type="submit" ?disabled=${state.busy}>Redrive to source queues</button>
          </form>
          ${tasksView(d.moveTasks || [])}`}`;
}

function tasksView(tasks) {
  if (tasks.length === 0) return html`<p class="muted">No redrive tasks yet.</p>`;
  return html`
    <table id="move-tasks">
      <thead><tr><th>Started</th><th>Status</th><th>Progress</th><th></th></tr></thead>
      <tbody>
        ${tasks.map(
          (t) => html`
            <tr>
              <td>${when(t.started)}</td>
              <td class="status">${t.status}${t.failureReason ? html` <span class="muted">${t.failureReason}</span>` : nothing}</td>
              <td><progress max=${Math.max(1, t.approximateNumberOfMessagesToMove)} value=${t.approximateNumberOfMessagesMoved}></progress>
                <span class="moved">${t.approximateNumberOfMessagesMoved}</span> / ${t.approximateNumberOfMessagesToMove}</td>
              <td>${t.status === 'RUNNING'
                ? html`<button class="cancel-task" @click=${() => cancelTask(t.taskHandle)}>Cancel</button>`
                : nothing}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function sendView(q) {
  return html`
    <h2>Send a message</h2>
    <form id="send" @submit=${send}>
      <label>Body <textarea id="send-body" name="body" rows="4" required></textarea></label>
      <div class="row">
        <label>Delay (s) <input id="send-delay" name="delaySeconds" type="number" min="0" max="900"></label>
        ${q.fifo
          ? html`<label>Message group id <input id="send-group" name="messageGroupId" required></label>
              <label>Deduplication id <input id="send-dedup" name="messageDeduplicationId"></label>`
          : html`<label>Message group id (fair queues) <input id="send-group" name="messageGroupId"></label>`}
      </div>
      ${state.attributes.map(
        (_, i) => html`
          <div class="row attribute">
            <input class="attr-name" name=${`attr-name-${i}`} placeholder="attribute name">
            <select class="attr-type" name=${`attr-type-${i}`}><option>String</option><option>Number</option><option>Binary</option></select>
            <input class="attr-value" name=${`attr-value-${i}`} placeholder="value">
          </div>`,
      )}
      <div class="row">
        <button type="button" class="link" id="add-attribute" @click=${() => { state.attributes.push({}); update(); }}>+ attribute</button>
        <button id="send-submit" type="submit" ?disabled=${state.busy}>Send</button>
      </div>
    </form>`;
}

function browserView() {
  const m = state.messages;
  return html`
    <section>
      <h2>Messages</h2>
      <p class="muted">A peek receives nothing: visibility and receive counts stay as they are.</p>
      <div class="row">
        <label>State
          <select id="peek-state" @change=${(e) => { state.messages = { items: [], next: null, state: e.target.value }; peek(); }}>
            <option value="">all</option><option value="visible">visible</option>
            <option value="inFlight">in flight</option><option value="delayed">delayed</option>
          </select></label>
        <button id="peek" @click=${() => peek()}>Refresh</button>
      </div>
      ${!m
        ? html`<p class="muted">Loading…</p>`
        : m.items.length === 0
          ? html`<p class="muted" id="no-messages">No messages.</p>`
          : html`
              <table id="messages">
                <thead><tr><th>Message</th><th>State</th><th class="n">Receives</th><th>Sent</th><th>Visible at</th><th>Body</th></tr></thead>
                <tbody>${m.items.map(messageRow)}</tbody>
              </table>
              ${m.next ? html`<button id="peek-more" @click=${() => peek(true)}>More</button>` : nothing}`}
    </section>`;
}

function messageRow(message) {
  const open = state.expanded.has(message.messageId);
  const attributes = Object.entries(message.messageAttributes || {});
  const toggle = () => {
    if (open) state.expanded.delete(message.messageId);
    else state.expanded.add(message.messageId);
    update();
  };
  return html`
    <tr class="message" data-id=${message.messageId}>
      <td class="mono"><button class="link" @click=${toggle}>${message.messageId.slice(0, 8)}…</button></td>
      <td class="state" data-state=${message.state}>${STATE_LABELS[message.state] || message.state}</td>
      <td class="n receive-count">${message.receiveCount}</td>
      <td>${when(message.sent)}</td>
      <td>${message.state === 'visible' ? '–' : when(message.visibleAt)}</td>
      <td><pre class=${open ? 'body open' : 'body'}>${message.body}</pre>
        ${open
          ? html`<div class="details mono">
              <div>id ${message.messageId}</div>
              ${message.messageGroupId ? html`<div>group ${message.messageGroupId}</div>` : nothing}
              ${message.messageDeduplicationId ? html`<div>deduplication ${message.messageDeduplicationId}</div>` : nothing}
              ${message.sequenceNumber ? html`<div>sequence ${message.sequenceNumber}</div>` : nothing}
              ${message.deadLetterSourceQueue ? html`<div>dead-lettered from ${message.deadLetterSourceQueue}</div>` : nothing}
              ${message.firstReceived ? html`<div>first received ${when(message.firstReceived)}</div>` : nothing}
              ${attributes.map(([k, v]) => html`<div class="attribute">${k} = ${attributeText(v)}</div>`)}
            </div>`
          : attributes.length
            ? html`<div class="muted">${attributes.length} attribute(s)</div>`
            : nothing}
      </td>
    </tr>`;
}

function tenantsView() {
  return html`
    <h1>Tenants</h1>
    <form class="inline" id="create-tenant" @submit=${createTenant}>
      <label>Account id <input id="tenant-account" name="accountId" pattern="[0-9]{12}" required placeholder="12 digits"></label>
      <label>Name <input id="tenant-name" name="name"></label>
      <label>Max queues <input id="tenant-max-queues" name="maxQueues" type="number" min="0"></label>
      <label>Max messages <input id="tenant-max-messages" name="maxMessages" type="number" min="0"></label>
      <button id="tenant-create" type="submit" ?disabled=${state.busy}>Create tenant</button>
    </form>
    <table id="tenants">
      <thead><tr><th>Account</th><th>Name</th><th>Enabled</th><th>Limits</th><th>Quota</th><th>Quota in use</th><th>Created</th><th></th></tr></thead>
      <tbody>${state.tenants.map(tenantRows)}</tbody>
    </table>
    ${state.quotas
      ? html`<p class="muted" id="quota-defaults">Default quota (tenants without their own): ${quotaText(state.quotas.defaults)}.
          FIFO throughput limits: ${state.quotas.fifoThroughput ? 'on' : 'off'}.</p>`
      : nothing}`;
}

const number = (n) => Number(n).toLocaleString('en');

function rateText(perSecond, burst, unit) {
  return perSecond === undefined || perSecond === null ? null : `${number(perSecond)} ${unit}/s (burst ${number(burst)})`;
}

function quotaText(q) {
  if (!q) return 'none';
  const parts = [rateText(q.requestsPerSecond, q.requestBurst, 'requests'), rateText(q.bytesPerSecond, q.bytesBurst, 'bytes')]
    .filter((p) => p);
  for (const [name, rate] of Object.entries(q.queues || {})) parts.push(`${name}: ${rateText(rate.requestsPerSecond, rate.requestBurst, 'requests')}`);
  return parts.length ? parts.join(', ') : 'none';
}

function usageOf(accountId) {
  return state.quotas ? state.quotas.tenants.find((u) => u.accountId === accountId) : null;
}

function usageView(u) {
  if (!u || u.source === 'none') return html`<span class="muted">no quota</span>`;
  const bucket = (b, unit) => (b ? html`<div>${number(b.available)} of ${number(b.burst)} ${unit} available</div>` : nothing);
  const throttled = Object.values(u.throttled).reduce((a, b) => a + b, 0);
  return html`${bucket(u.requests, 'requests')}${bucket(u.bytes, 'bytes')}
    <div class="muted">${number(u.admittedRequests)} admitted, <span class=${throttled ? 'danger' : ''}>${number(throttled)} throttled</span>
      ${u.source === 'default' ? ' (default quota)' : ''}</div>`;
}

function quotaForm(t) {
  const q = t.quota || {};
  return html`<tr class="quota-form"><td></td><td colspan="7">
    <form class="inline" id="quota-form" @submit=${(e) => setQuota(e, t.accountId)}>
      <label>Requests/s <input name="requestsPerSecond" type="number" min="1" .value=${q.requestsPerSecond ?? ''}></label>
      <label>Burst <input name="requestBurst" type="number" min="1" .value=${q.requestBurst ?? ''}></label>
      <label>Bytes/s <input name="bytesPerSecond" type="number" min="1" .value=${q.bytesPerSecond ?? ''}></label>
      <label>Burst <input name="bytesBurst" type="number" min="1" .value=${q.bytesBurst ?? ''}></label>
      <button type="submit" id="quota-save" ?disabled=${state.busy}>Set quota</button>
      ${t.quota ? html`<button type="button" class="link" @click=${() => removeQuota(t.accountId)}>Use the default</button>` : nothing}
    </form></td></tr>`;
}

function tenantRows(t) {
  const keys = state.tenantKeys[t.accountId];
  return html`
    <tr data-tenant=${t.accountId}>
      <td class="mono">${t.accountId}</td>
      <td>${t.name}</td>
      <td>${t.enabled ? 'yes' : 'no'}</td>
      <td>${t.maxQueues ?? '–'} queues, ${t.maxMessages ?? '–'} messages</td>
      <td class="quota">${t.quota ? quotaText(t.quota) : html`<span class="muted">default</span>`}</td>
      <td class="quota-use">${usageView(usageOf(t.accountId))}</td>
      <td>${when(t.created)}</td>
      <td class="actions">
        <button class="link" @click=${() => showKeys(t.accountId)}>Keys</button>
        <button class="link" @click=${() => { state.quotaForm = state.quotaForm === t.accountId ? null : t.accountId; update(); }}>Quota…</button>
        <button class="link" @click=${() => tenantAction('POST', `/admin/tenants/${t.accountId}/${t.enabled ? 'disable' : 'enable'}`, null, null)}>${t.enabled ? 'Disable' : 'Enable'}</button>
        <button class="link danger" @click=${() => deleteTenant(t.accountId)}>Delete…</button>
      </td>
    </tr>
    ${state.quotaForm === t.accountId ? quotaForm(t) : nothing}
    ${keys
      ? html`<tr class="keys"><td></td><td colspan="7">
          ${keys.length === 0 ? html`<span class="muted">No keys.</span>` : nothing}
          ${keys.map(
            (k) => html`<div class="key"><span class="mono">${k.accessKeyId}</span> ${k.enabled ? 'enabled' : 'disabled'}
              <button class="link" @click=${() => tenantAction('POST', `/admin/keys/${k.accessKeyId}/${k.enabled ? 'disable' : 'enable'}`, null, t.accountId)}>${k.enabled ? 'Disable' : 'Enable'}</button>
              <button class="link danger" @click=${() => tenantAction('DELETE', `/admin/keys/${k.accessKeyId}`, `Deleted key ${k.accessKeyId}.`, t.accountId)}>Delete</button></div>`,
          )}
          <button class="link" @click=${() => tenantAction('POST', `/admin/tenants/${t.accountId}/keys`, null, t.accountId)}>+ new key</button>
        </td></tr>`
      : nothing}`;
}

function confirmView() {
  const c = state.confirm;
  if (!c) return nothing;
  return html`
    <div class="overlay">
      <form class="dialog" id="confirm" @submit=${confirmed}>
        <h2>${c.title}</h2>
        <p>${c.text}</p>
        ${c.requireText ? html`<input id="confirm-input" name="typed" autocomplete="off" placeholder=${c.requireText}>` : nothing}
        <div class="row">
          <button type="button" id="confirm-cancel" @click=${() => { state.confirm = null; update(); }}>Cancel</button>
          <button type="submit" id="confirm-ok" class="danger">${c.title}</button>
        </div>
      </form>
    </div>`;
}

function view() {
  switch (state.phase) {
    case 'loading':
      return html`<p class="muted">Loading…</p>`;
    case 'off':
      return html`<main class="signin"><h1>Sluice console</h1>
        <p id="off">The admin API is off. Start Sluice with <code>sluice.admin.token</code> set (or in the
        <code>sigv4</code> auth mode, where tenants sign in with their keys).</p></main>`;
    case 'signin':
      return signinView();
    default:
      return html`
        ${header()}
        <main>
          ${messagesView()}
          ${state.route.view === 'queue' ? queueView() : state.route.view === 'tenants' ? tenantsView() : queuesView()}
        </main>
        ${confirmView()}`;
  }
}

function update() {
  render(view(), document.getElementById('app'));
}

// The page's placeholder text is not Lit's: clear it before the first render.
document.getElementById('app').replaceChildren();

// Live counts: the listing and the open queue (with its redrive tasks) refresh on a timer; on the tenants page only
// the quotas in use do (the forms there keep what is being typed).
setInterval(() => {
  if (state.phase !== 'ready' || state.confirm || document.hidden) return;
  if (state.route.view === 'tenants') refreshQuotas();
  else load();
}, REFRESH_MS);

window.addEventListener('hashchange', onRoute);
start();
