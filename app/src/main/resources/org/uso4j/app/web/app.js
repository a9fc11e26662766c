// uso4j web page: the counterpart of the official USO Gradio demo, on the /v1 API (no build step, no libraries).
'use strict';

const $ = (id) => document.getElementById(id);

/** The official examples: prompts from the USO README and the demo's tips; images are the user's own. */
const PRESETS = [
  { title: 'Subject / identity', prompt: 'The man in flower shops carefully match bouquets, conveying beautiful emotions and blessings with flowers. ',
    hints: { content: 'a photo of a man (official: identity1.jpg)' } },
  { title: 'Style-driven', prompt: 'A cat sleeping on a chair.',
    hints: { style1: 'a style image (official: style1.webp)' } },
  { title: 'Style + subject', prompt: 'The woman gave an impassioned speech on the podium.',
    hints: { content: 'a photo of a woman (official: identity2.webp)', style1: 'a style image (official: style2.webp)' } },
  { title: 'Layout-preserved (empty prompt)', prompt: '',
    hints: { content: 'a photo of a woman (official: identity2.webp)', style1: 'a style image (official: style2.webp)' } },
  { title: 'Multi-style', prompt: 'A handsome man.',
    hints: { style1: 'first style (official: style3.webp)', style2: 'second style (official: style4.webp)' } },
  { title: 'Style edit, layout kept', prompt: 'Transform the image into Ghibli style.',
    hints: { content: 'any photo to restyle' } },
  { title: 'Style edit, layout shifted', prompt: 'Ghibli style, the man on the beach.',
    hints: { content: 'a photo of a man' } },
  { title: 'Subject in a new scene', prompt: 'A clock on the table.',
    hints: { content: 'a photo of a clock' } },
  { title: 'Text to image', prompt: 'A beautiful woman.', hints: {} },
];
const PRESET_SETTINGS = { width: 1024, height: 1024, steps: 25, guidance: 4, seed: 3407 };

const state = {
  files: { content: null, style1: null, style2: null },
  sizes: { content: null },
  job: null,
  source: null,
  token: localStorage.getItem('uso4j.token') || '',
};

function authHeaders() { return state.token ? { Authorization: 'Bearer ' + state.token } : {}; }

function withToken(url) {
  if (!state.token) return url;
  return url + (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(state.token);
}

/** fetch + JSON; a non-2xx answer throws an Error carrying the server's message and field. */
async function api(path, options = {}) {
  const r = await fetch(path, { ...options, headers: { ...(options.headers || {}), ...authHeaders() } });
  const type = r.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await r.json() : null;
  if (!r.ok) {
    const e = new Error(body && body.error ? body.error : 'HTTP ' + r.status);
    e.field = body && body.field;
    e.status = r.status;
    e.retryAfter = r.headers.get('Retry-After');
    throw e;
  }
  return body;
}

function showError(e) {
  const box = $('error');
  let text = typeof e === 'string' ? e : e.message;
  if (e && e.status === 429 && e.retryAfter) text += ` (try again in about ${e.retryAfter} s)`;
  box.textContent = text;
  box.hidden = false;
}

function clearError() { $('error').hidden = true; $('error').textContent = ''; }

// ---- image slots (click or drag and drop) ----

function setupSlot(slot) {
  const key = slot.dataset.key;
  const input = slot.querySelector('input[type=file]');
  slot.addEventListener('click', (ev) => { if (!ev.target.classList.contains('slot-clear') && ev.target !== input) input.click(); });
  slot.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); input.click(); } });
  input.addEventListener('change', () => { if (input.files.length) setFile(slot, key, input.files[0]); });
  slot.addEventListener('dragover', (ev) => { ev.preventDefault(); slot.classList.add('dragover'); });
  slot.addEventListener('dragleave', () => slot.classList.remove('dragover'));
  slot.addEventListener('drop', (ev) => {
    ev.preventDefault();
    slot.classList.remove('dragover');
    const f = ev.dataTransfer.files && ev.dataTransfer.files[0];
    if (f) setFile(slot, key, f);
  });
  slot.querySelector('.slot-clear').addEventListener('click', (ev) => { ev.stopPropagation(); setFile(slot, key, null); input.value = ''; });
}

/** Puts file (or nothing) into a slot; remember = also keep it for the next visit. */
function setFile(slot, key, file, remember = true) {
  const img = slot.querySelector('.slot-image');
  const hint = slot.querySelector('.slot-hint');
  if (img.src) URL.revokeObjectURL(img.src);
  if (file && !/^image\/(png|jpeg|webp|bmp)$/.test(file.type) && file.type !== '') {
    showError(`${file.name}: not a PNG, JPEG, WebP or BMP image`);
    return;
  }
  state.files[key] = file;
  slot.classList.toggle('filled', !!file);
  slot.querySelector('.slot-clear').hidden = !file;
  if (file) {
    img.src = URL.createObjectURL(file);
    img.onload = () => { if (key === 'content') { state.sizes.content = [img.naturalWidth, img.naturalHeight]; applyKeepSize(); } };
    img.hidden = false;
    hint.textContent = file.name;
  } else {
    img.removeAttribute('src');
    img.hidden = true;
    hint.textContent = slot.dataset.hint || hint.dataset.default;
    if (key === 'content') state.sizes.content = null;
  }
  if (remember) FormMemory.putReferences('form', state.files);
}

function slotOf(key) { return document.querySelector(`.slot[data-key="${key}"]`); }

/** "Keep content image size": output size from the content image, floored to multiples of 16. */
function applyKeepSize() {
  const s = state.sizes.content;
  if (!$('keep-size').checked || !s) return;
  $('width').value = Math.max(16, Math.floor(s[0] / 16) * 16);
  $('height').value = Math.max(16, Math.floor(s[1] / 16) * 16);
}

// ---- presets ----

function renderPresets() {
  const list = $('preset-list');
  for (const p of PRESETS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'preset';
    const t = document.createElement('strong');
    t.textContent = p.title;
    const s = document.createElement('span');
    s.textContent = p.prompt === '' ? '(empty prompt)' : p.prompt;
    b.append(t, s);
    b.addEventListener('click', () => applyPreset(p));
    list.append(b);
  }
}

function applyPreset(p) {
  $('prompt').value = p.prompt;
  $('width').value = PRESET_SETTINGS.width;
  $('height').value = PRESET_SETTINGS.height;
  $('steps').value = PRESET_SETTINGS.steps;
  $('guidance').value = PRESET_SETTINGS.guidance;
  $('seed').value = PRESET_SETTINGS.seed;
  for (const slot of document.querySelectorAll('.slot')) {
    const hint = p.hints[slot.dataset.key];
    slot.dataset.hint = hint ? 'Add ' + hint : 'Leave empty';
    if (!state.files[slot.dataset.key]) slot.querySelector('.slot-hint').textContent = slot.dataset.hint;
  }
  FormMemory.saveFields();
  $('prompt').focus();
}

// ---- submitting and following a job ----

const NUMERIC = [['width', 'width'], ['height', 'height'], ['steps', 'num_steps'], ['guidance', 'guidance'], ['seed', 'seed'],
  ['content-ref', 'content_ref'], ['lora-weight', 'lora_weight']];

async function submit(ev) {
  ev.preventDefault();
  clearError();
  const fd = new FormData();
  fd.append('prompt', $('prompt').value);
  for (const [id, field] of NUMERIC) {
    const v = $(id).value.trim();
    if (v !== '') fd.append(field, v);
  }
  fd.append('pe', $('pe').value);
  if (state.files.content) fd.append('content_image', state.files.content);
  for (const k of ['style1', 'style2']) if (state.files[k]) fd.append('style_image', state.files[k]);
  $('generate').disabled = true;
  try {
    const r = await api('/v1/jobs', { method: 'POST', body: fd });
    FormMemory.putReferences('job:' + r.id, state.files);
    follow(r.id);
    // on a phone the result panel is below the form: bring the progress into view
    $('progress').scrollIntoView({ block: 'start', behavior: 'smooth' });
  } catch (e) {
    showError(e);
    if (e.field) {
      const input = document.querySelector(`[data-field="${e.field}"]`) || $(fieldInput(e.field));
      if (input) input.focus();
    }
    $('generate').disabled = false;
  }
}

function fieldInput(field) {
  const m = NUMERIC.find(([, f]) => f === field);
  return m ? m[0] : field;
}

function setProgress(text, fraction) {
  $('progress').hidden = false;
  $('progress-text').textContent = text;
  if (fraction !== undefined) $('progress-bar').value = fraction;
}

function formatSeconds(s) {
  if (s === undefined || s === null) return '';
  return s >= 90 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`;
}

function follow(id) {
  if (state.source) state.source.close();
  state.job = id;
  history.replaceState(null, '', '#' + id); // a reload (or a shared link) follows the same job
  $('cancel').hidden = false;
  $('cancel').disabled = false;
  $('result').hidden = true;
  $('download').hidden = true;
  $('result-settings').hidden = true;
  $('placeholder').hidden = true;
  setProgress('Submitted…', 0);
  const es = new EventSource(withToken(`/v1/jobs/${id}/events`));
  state.source = es;
  const on = (name, fn) => es.addEventListener(name, (e) => fn(JSON.parse(e.data)));
  on('queued', (d) => setProgress(`Queued (position ${d.position})`, 0));
  on('running', () => setProgress('Starting…'));
  on('stage', (d) => setProgress(`${d.name[0].toUpperCase()}${d.name.slice(1)}…`));
  on('step', (d) => {
    setProgress(`Step ${d.step}/${d.total} · about ${formatSeconds(d.eta_seconds)} left`, d.step / d.total);
    if (d.preview) { $('preview').src = d.preview; $('preview').hidden = false; }
  });
  on('done', (d) => { finish(); setProgress(`Done in ${formatSeconds(d.seconds)}`, 1); showJob(id, true); refreshHistory(); });
  on('failed', (d) => { finish(); setProgress('Failed', 0); showError(d.error); $('placeholder').hidden = false; refreshHistory(); });
  on('cancelled', () => { finish(); setProgress('Cancelled', 0); $('placeholder').hidden = false; refreshHistory(); });
}

function finish() {
  if (state.source) state.source.close();
  state.source = null;
  state.job = null;
  $('cancel').hidden = true;
  $('generate').disabled = false;
  $('preview').hidden = true;
}

async function cancel() {
  if (!state.job) return;
  $('cancel').disabled = true;
  try {
    await api(`/v1/jobs/${state.job}`, { method: 'DELETE' });
    setProgress('Cancelling…');
  } catch (e) {
    showError(e);
  }
}

/** Shows a finished job: image, download link and settings (with the seed used; justDone: also in the progress line). */
async function showJob(id, justDone = false) {
  const url = withToken(`/v1/jobs/${id}/image`);
  const img = $('result');
  img.src = url;
  img.hidden = false;
  $('placeholder').hidden = true;
  const a = $('download');
  a.href = withToken(`/v1/jobs/${id}/image?download=1`);
  a.setAttribute('download', `uso4j-${id}.png`);
  a.hidden = false;
  try {
    const job = await api(`/v1/jobs/${id}`);
    const s = job.settings || {};
    $('result-settings').textContent = Object.entries(s).map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`).join('\n')
      + (job.seconds ? `\ntime: ${job.seconds} s` : '');
    $('result-settings').hidden = false;
    if (justDone && s.seed !== undefined) setProgress(`${$('progress-text').textContent} · seed ${s.seed}`);
  } catch (e) {
    // the image is shown; settings are a nicety
  }
}

// ---- start ----

async function init() {
  for (const slot of document.querySelectorAll('.slot')) setupSlot(slot);
  renderPresets();
  $('job-form').addEventListener('submit', submit);
  $('cancel').addEventListener('click', cancel);
  $('random-seed').addEventListener('click', () => { $('seed').value = Math.floor(Math.random() * 2 ** 31); });
  $('keep-size').addEventListener('change', applyKeepSize);
  $('history-refresh').addEventListener('click', refreshHistory);
  $('history-clear').addEventListener('click', clearHistory);
  // the form survives a reload: fields in localStorage, reference images in IndexedDB
  FormMemory.restoreFields();
  $('job-form').addEventListener('input', () => FormMemory.saveFields());
  $('job-form').addEventListener('change', () => FormMemory.saveFields());
  const saved = await FormMemory.getReferences('form');
  if (saved) for (const key of ['content', 'style1', 'style2']) if (saved[key]) setFile(slotOf(key), key, saved[key], false);
  $('token').value = state.token;
  $('token').addEventListener('change', () => {
    state.token = $('token').value.trim();
    localStorage.setItem('uso4j.token', state.token);
    refreshHistory();
  });
  try {
    const health = await api('/health');
    if (health.auth_required) $('auth').hidden = false;
  } catch (e) {
    showError('The server does not answer: ' + e.message);
  }
  refreshHistory();
  const m = location.hash.match(/^#([0-9a-f-]{36})$/);
  if (m) follow(m[1]);
}

init();
