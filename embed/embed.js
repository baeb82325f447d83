/* Baton's embed script: the only thing a customer's website loads, so every byte counts
 * (budget: 2 KB brotli as served). This is the readable source; scripts/build-embed.sh
 * minifies it into the site's /embed.js with .br and .gz siblings.
 *
 *   <script src="https://YOUR-BATON/embed.js" data-baton-widget="KEY" async></script>
 *   Baton.open(), .close(), .identify(jwt), .on("open"|"close"|"message"|"ready", fn)
 *
 * It draws the launcher and, on the first click (or at once while a conversation is open),
 * an iframe to /w/KEY. The two talk by postMessage only (the widget's side:
 * app/src/pages/widget/host.rs and app/src/components/host_messages.rs):
 *   up   baton:ready, baton:close, baton:message {count}, baton:session {token},
 *        baton:conversation {active}
 *   down baton:session {token}, baton:identify {token}
 * localStorage "baton:KEY" ({active, seen, session}) keeps the widget's session, whether a
 * conversation is open and how many replies were seen, so the chat follows the visitor across
 * the site's pages and tabs (see ARCHITECTURE.md, "The widget and the embed script"). */
(() => {
  'use strict';
  // Loaded twice (two script tags, a single-page app re-adding it): the first copy runs.
  if (window.Baton && window.Baton.version) return;

  const script = document.currentScript || document.querySelector('script[data-baton-widget]');
  if (!script) return;
  const key = script.getAttribute('data-baton-widget');
  if (!key) return console.warn('Baton: data-baton-widget is missing.');
  // The frame's origin: messages are sent only there and taken only from there.
  const base = new URL(script.src, location.href).origin;
  const slot = 'baton:' + key;
  const handlers = {};

  // count: agent messages the iframe reported; seen: those shown (the difference is unread).
  // ready: the frame said baton:ready, so messages posted to it are heard.
  let frame, isOpen, ready, token, session, count = 0, seen = 0, active = false;

  function restore(kept) {
    session = kept && kept.session || '';
    active = !!(kept && kept.active);
    seen = active && +kept.seen || 0;
    if (!active) count = 0; // ended: the next conversation counts from 0
  }
  function save() {
    try { localStorage.setItem(slot, JSON.stringify({ active, seen, session })); } catch (e) {}
  }
  try { restore(JSON.parse(localStorage.getItem(slot))); } catch (e) {} // blocked: start afresh

  function emit(name, detail) {
    (handlers[name] || []).forEach((fn) => {
      try { fn(detail); } catch (e) { console.error(e); } // one site handler cannot stop the rest
    });
  }

  // Everything under one element, styled through [data-baton] so the site's CSS and ours keep
  // apart. innerHTML holds only constants, never data from the page or the frame.
  const root = document.createElement('div');
  root.setAttribute('data-baton', '');
  root.innerHTML = '<style>' +
    '[data-baton] .baton-launcher{position:fixed;right:16px;bottom:16px;width:56px;height:56px;' +
    'border-radius:50%;border:0;background:#3b5bdb;color:#fff;cursor:pointer;z-index:2147483646;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}' +
    '[data-baton] .baton-launcher:focus-visible{outline:3px solid #ffd43b;outline-offset:2px}' +
    '[data-baton] .baton-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;' +
    'padding:0 5px;border-radius:10px;background:#e03131;color:#fff;font:600 12px/20px system-ui,sans-serif}' +
    '[data-baton] .baton-frame{position:fixed;right:16px;bottom:84px;width:380px;height:600px;' +
    'max-width:calc(100vw - 16px);max-height:calc(100vh - 100px);border:0;border-radius:12px;' +
    'box-shadow:0 8px 30px rgba(0,0,0,.3);z-index:2147483647;background:#fff;display:none}' +
    '@media (max-width:420px){[data-baton] .baton-frame{right:8px;left:8px;width:auto;bottom:80px}}' +
    '</style><button type="button" class="baton-launcher">' +
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" ' +
    'stroke-width="2" stroke-linejoin="round" aria-hidden="true"><path d="M4 5h16v11H8l-4 4z"/></svg>' +
    '<span class="baton-badge"></span></button>';
  const button = root.lastChild;
  const badge = button.lastChild;

  // The launcher's accessible name carries the state and the unread count (the badge is visual).
  function render() {
    const unread = isOpen ? 0 : Math.max(0, count - seen);
    badge.hidden = !unread;
    badge.textContent = unread > 9 ? '9+' : unread;
    button.setAttribute('aria-label', (isOpen ? 'Close' : 'Open') + ' chat' +
      (unread ? ' (' + unread + ' unread)' : ''));
    button.setAttribute('aria-expanded', !!isOpen);
  }
  render();

  // Sends {type: "baton:" + kind, token}; before baton:ready nobody would hear it.
  function post(kind, value) {
    if (frame && ready) frame.contentWindow.postMessage({ type: 'baton:' + kind, token: value }, base);
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.className = 'baton-frame';
    frame.title = 'Chat';
    frame.src = base + '/w/' + encodeURIComponent(key);
    frame.allow = 'clipboard-write';
    root.appendChild(frame);
  }

  function open() {
    ensureFrame();
    frame.style.display = 'block';
    isOpen = true;
    seen = Math.max(seen, count); // the iframe may not have replayed yet
    save();
    render();
    emit('open');
  }

  function close() {
    if (!frame) return;
    frame.style.display = 'none';
    isOpen = false;
    render();
    button.focus();
    emit('close');
  }

  // Loads the chat, still hidden, once the visitor looks like opening it (the pointer rests on
  // or the focus reaches the launcher), not on idle: most visitors never open it and should not
  // pay for it. Loading the frame itself, not prefetching its files from this page: browsers
  // keep a cross-site frame's downloads apart from the page's, so a prefetch would not be reused.
  function warm() {
    ensureFrame();
  }

  button.addEventListener('click', () => { isOpen ? close() : open(); });
  button.addEventListener('pointerenter', warm);
  button.addEventListener('focus', warm);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen) close();
  });

  window.addEventListener('message', (e) => {
    if (e.origin !== base || !frame || e.source !== frame.contentWindow) return;
    const data = e.data || {};
    switch (data.type) {
      case 'baton:ready':
        ready = true;
        count = 0; // it replays the transcript
        post('session', session);
        if (token) post('identify', token);
        emit('ready');
        break;
      case 'baton:close':
        close();
        break;
      case 'baton:message':
        count = +data.count || 0;
        if (isOpen) { seen = count; save(); }
        render();
        emit('message', { count });
        break;
      case 'baton:session':
        session = String(data.token || '');
        save();
        break;
      case 'baton:conversation':
        restore({ active: data.active, seen, session });
        save();
        render();
    }
  });

  // Another tab of the site changed the entry: follow its session and open conversation.
  window.addEventListener('storage', (e) => {
    if (e.key !== slot) return;
    const was = session;
    try { restore(JSON.parse(e.newValue)); } catch (x) {}
    if (session !== was) post('session', session); // signed in or out there
    if (active) ensureFrame();
    render();
  });

  // A conversation is open: load the frame at once, hidden, so the unread badge is right.
  if (active) ensureFrame();

  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);

  window.Baton = {
    version: 1,
    open,
    close,
    identify(jwt) {
      token = String(jwt);
      post('identify', token);
    },
    on(name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
    },
  };
})();
