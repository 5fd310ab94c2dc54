// Runs in the page (via page.addInitScript) before the app boots. It stands in
// for what Tauri injects: window.__TAURI_INTERNALS__ (invoke, transformCallback,
// …) and window.__TAURI_EVENT_PLUGIN_INTERNALS__ (used by unlisten). The event
// plugin's `listen`/`unlisten`/`emit` are invokes of `plugin:event|…`.
// Must be self-contained: Playwright serialises this function's source.
//
// A response is `{ ok }`, `{ error }`, optionally with `delayMs`, `{ sequence: [response, …] }`
// (one per call, the last repeating), or `{ byId: { <id>: {ok}|{error} } }`
// for commands that take an `id` (or a `bindingId`, or a `ruleId`). `list_repos` streams through the Channel the app passes (as
// Tauri does: the callback gets `{ message, index }` per page, then `{ end: true, index }`): give
// it `{ pages: [[repo…], …] }` or `{ generate: { count, pageSize, delayMs } }`.
export function installTauriMock(config) {
  const mock = {
    responses: config.responses || {},
    history: config.history || [],
    calls: [],
  };
  const callbacks = new Map();
  const listeners = new Map();
  let nextId = 1;

  function transformCallback(callback, once) {
    const id = nextId++;
    callbacks.set(id, (data) => {
      if (once) callbacks.delete(id);
      return callback && callback(data);
    });
    return id;
  }
  function unregisterCallback(id) {
    callbacks.delete(id);
  }
  function runCallback(id, data) {
    const cb = callbacks.get(id);
    if (cb) cb(data);
  }
  function emit(event, payload) {
    for (const handler of [...(listeners.get(event) || [])]) {
      runCallback(handler, { event, id: handler, payload });
    }
  }
  function historyPage(query) {
    const q = query || {};
    let events = mock.history.filter((e) => (q.kind ? e.kind === q.kind : true));
    events = events.filter((e) => (q.binding_id ? e.binding_id === q.binding_id : true));
    events = events.filter((e) => (q.before != null ? e.id < q.before : true));
    events.sort((a, b) => b.id - a.id);
    const limit = q.limit || 50;
    const page = events.slice(0, limit);
    const more = events.length > limit;
    return { events: page, next_before: more ? page[page.length - 1].id : null };
  }

  function generatedRepos(spec, from, to) {
    const out = [];
    for (let i = from; i < to; i++) {
      const group = `group-${i % 7}`;
      const sub = i % 5 === 0;
      const name = `repo-${String(i).padStart(5, '0')}`;
      const full = sub ? `${group}/sub-${i % 3}/${name}` : `${group}/${name}`;
      out.push({
        id: String(i + 1),
        full_name: full,
        name,
        private: i % 3 === 0,
        default_branch: i % 4 === 0 ? 'master' : 'main',
        web_url: `${spec.host || 'https://gitlab.example.com'}/${full}`,
        clone_url: `${spec.host || 'https://gitlab.example.com'}/${full}.git`,
        in_subgroup: sub,
      });
    }
    return out;
  }

  async function streamRepos(response, channelRef) {
    const id = Number(String(channelRef).replace('__CHANNEL__:', ''));
    const spec = response.generate;
    let pages = response.pages || [];
    if (spec) {
      pages = [];
      const size = spec.pageSize || 100;
      for (let from = 0; from < spec.count; from += size) {
        pages.push(generatedRepos(spec, from, Math.min(spec.count, from + size)));
      }
    }
    const delay = (spec && spec.delayMs) || response.pageDelayMs || 0;
    let total = 0;
    for (let index = 0; index < pages.length; index++) {
      if (delay) await new Promise((ok) => setTimeout(ok, delay));
      runCallback(id, { message: pages[index], index });
      total += pages[index].length;
    }
    runCallback(id, { end: true, index: pages.length });
    return total;
  }

  async function invoke(cmd, args) {
    mock.calls.push({ cmd, args: args === undefined ? null : JSON.parse(JSON.stringify(args)), readyState: document.readyState });
    switch (cmd) {
      case 'plugin:event|listen': {
        if (!listeners.has(args.event)) listeners.set(args.event, []);
        listeners.get(args.event).push(args.handler);
        return args.handler;
      }
      case 'plugin:event|unlisten': {
        const list = listeners.get(args.event) || [];
        const i = list.indexOf(args.eventId);
        if (i !== -1) list.splice(i, 1);
        return null;
      }
      case 'plugin:event|emit':
        emit(args.event, args.payload);
        return null;
      default:
        break;
    }
    let response = mock.responses[cmd];
    // `{ sequence: [r1, r2, …] }`: each call takes the next response; the last one repeats.
    if (response && response.sequence) response = response.sequence.length > 1 ? response.sequence.shift() : response.sequence[0];
    if (response && response.byId) response = response.byId[args && (args.id ?? args.bindingId ?? args.ruleId)];
    if (response && response.byProvider) response = response.byProvider[args && args.provider];
    if (response && response.delayMs) await new Promise((ok) => setTimeout(ok, response.delayMs));
    if (cmd === 'list_repos' && response && !('error' in response)) {
      return streamRepos(response, JSON.parse(JSON.stringify(args.pages)));
    }
    if (cmd === 'list_history' && (!response || !('error' in response))) {
      return historyPage(args && args.query);
    }
    if (!response) throw { code: 'internal', message: `no mock for command ${cmd}` };
    if ('error' in response) throw response.error;
    return JSON.parse(JSON.stringify(response.ok));
  }

  window.__TAURI_INTERNALS__ = {
    invoke,
    transformCallback,
    unregisterCallback,
    runCallback,
    callbacks,
    metadata: {
      currentWindow: { label: 'main' },
      currentWebview: { windowLabel: 'main', label: 'main' },
    },
    convertFileSrc: (path, protocol = 'asset') => `${protocol}://localhost/${encodeURIComponent(path)}`,
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
    unregisterListener: (_event, id) => unregisterCallback(id),
  };
  // Test-only handles.
  window.__MOCK__ = mock;
  window.__emitTauriEvent__ = emit;
}
