// uso4j web page: what the browser remembers between visits. The form's fields live in localStorage; the reference
// images (the form's current ones, and those of every job sent from this browser, so a history item can put them
// back) live in IndexedDB as Blobs. The server keeps settings and results, not the references.
'use strict';

const FormMemory = (() => {
  const FIELDS_KEY = 'uso4j.form';
  const FIELD_IDS = ['prompt', 'width', 'height', 'steps', 'guidance', 'seed', 'content-ref', 'lora-weight', 'pe', 'keep-size'];
  let dbPromise = null;

  function db() {
    if (!window.indexedDB) return Promise.reject(new Error('no IndexedDB'));
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open('uso4j', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('references');
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }

  async function request(mode, fn) {
    const store = (await db()).transaction('references', mode).objectStore('references');
    return new Promise((resolve, reject) => {
      const r = fn(store);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  return {
    /** Saves the form's fields (called on every edit). */
    saveFields() {
      const values = {};
      for (const id of FIELD_IDS) {
        const e = document.getElementById(id);
        values[id] = e.type === 'checkbox' ? e.checked : e.value;
      }
      localStorage.setItem(FIELDS_KEY, JSON.stringify(values));
    },

    /** Puts the saved fields back; false when nothing was saved. */
    restoreFields() {
      let values;
      try {
        values = JSON.parse(localStorage.getItem(FIELDS_KEY) || 'null');
      } catch (e) {
        values = null;
      }
      if (!values) return false;
      for (const id of FIELD_IDS) {
        const e = document.getElementById(id);
        if (!(id in values)) continue;
        if (e.type === 'checkbox') e.checked = !!values[id];
        else e.value = values[id];
      }
      return true;
    },

    /** Stores the reference images {content, style1, style2} (File/Blob or null) under key ('form' or 'job:<id>'). */
    async putReferences(key, files) {
      try {
        await request('readwrite', (s) => s.put({ content: files.content, style1: files.style1, style2: files.style2 }, key));
      } catch (e) {
        // private windows may refuse storage: the page works, it only forgets
      }
    },

    /** The reference images stored under key, or null. */
    async getReferences(key) {
      try {
        return (await request('readonly', (s) => s.get(key))) || null;
      } catch (e) {
        return null;
      }
    },

    async removeReferences(key) {
      try {
        await request('readwrite', (s) => s.delete(key));
      } catch (e) {
        // nothing stored
      }
    },
  };
})();
