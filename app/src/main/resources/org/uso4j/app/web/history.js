// uso4j web page: the history panel (GET /v1/jobs): follow a running job, reuse a finished one's prompt, settings and
// reference images, delete finished jobs or clear them all. Uses app.js's helpers ($, api, state, showJob, follow, ...).
'use strict';

async function refreshHistory() {
  let jobs;
  try {
    jobs = (await api('/v1/jobs?limit=48')).jobs;
  } catch (e) {
    if (e.status === 401) $('auth').hidden = false;
    return;
  }
  const list = $('history-list');
  list.replaceChildren();
  state.history = jobs;
  $('history-clear').hidden = !jobs.some((j) => FINISHED.includes(j.status));
  for (const job of jobs) {
    const fig = document.createElement('figure');
    fig.dataset.id = job.id;
    fig.dataset.status = job.status;
    if (job.status === 'succeeded') {
      const img = document.createElement('img');
      img.loading = 'lazy';
      img.alt = job.settings && job.settings.prompt || 'result';
      img.src = withToken(job.image_url);
      fig.append(img);
    } else {
      const s = document.createElement('div');
      s.className = 'status';
      s.textContent = job.status;
      fig.append(s);
      if (job.error) fig.title = job.error;
    }
    fig.addEventListener('click', () => openHistoryItem(job));
    if (FINISHED.includes(job.status)) {
      const del = document.createElement('button');
      del.type = 'button';
      del.className = 'history-delete';
      del.title = 'Delete';
      del.setAttribute('aria-label', 'Delete this job');
      del.textContent = '×';
      del.addEventListener('click', (ev) => { ev.stopPropagation(); deleteJobs([job.id]); });
      fig.append(del);
    }
    const cap = document.createElement('figcaption');
    const st = job.settings || {};
    cap.textContent = `${st.mode || ''} ${st.width || ''}×${st.height || ''} · seed ${st.seed} · ${st.prompt ? st.prompt : '(empty prompt)'}`;
    fig.append(cap);
    list.append(fig);
  }
}

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/** A history item: a running job is followed; a finished one is shown and its prompt, settings and references go back into the form. */
async function openHistoryItem(job) {
  clearError();
  if (!FINISHED.includes(job.status)) { follow(job.id); return; }
  history.replaceState(null, '', '#' + job.id);
  if (job.status === 'succeeded') showJob(job.id);
  else if (job.error) showError(job.error);
  const s = job.settings || {};
  $('prompt').value = s.prompt || '';
  for (const [id, field] of [...NUMERIC, ['pe', 'pe']]) if (s[field] !== undefined && s[field] !== null) $(id).value = s[field];
  const refs = await FormMemory.getReferences('job:' + job.id);
  for (const key of ['content', 'style1', 'style2']) setFile(slotOf(key), key, refs ? refs[key] || null : null);
  if (!refs && (s.content_images || s.style_images)) {
    showError(`The reference images of this job were not sent from this browser: add them again (${s.content_images || 0} content, `
      + `${s.style_images || 0} style).`);
  }
  FormMemory.saveFields();
}

/** Deletes finished jobs (their images too) and forgets their references. */
async function deleteJobs(ids) {
  for (const id of ids) {
    try {
      await api(`/v1/jobs/${id}`, { method: 'DELETE' });
      FormMemory.removeReferences('job:' + id);
    } catch (e) {
      if (e.status !== 404) { showError(e); break; }
    }
  }
  refreshHistory();
}

function clearHistory() {
  const done = (state.history || []).filter((j) => FINISHED.includes(j.status)).map((j) => j.id);
  if (done.length && confirm(`Delete ${done.length} finished job(s) and their images?`)) deleteJobs(done);
}
