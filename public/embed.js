/*! Baton chat: <script src="https://YOUR-BATON/embed.js" data-baton-widget="KEY" async></script>
 *  Baton.open(), .close(), .identify(jwt), .on("open"|"close"|"message"|"ready", fn).
 *  localStorage "baton:KEY" keeps the chat's session and whether a conversation is open, so
 *  the chat follows the visitor across pages and tabs (see ARCHITECTURE.md). */
(function () {
  'use strict';
  if (window.Baton && window.Baton.version) return;

  var script = document.currentScript ||
    document.querySelector('script[data-baton-widget]');
  if (!script) return;
  var key = script.getAttribute('data-baton-widget');
  var base = new URL(script.src, location.href).origin;
  if (!key) {
    console.warn('Baton: data-baton-widget is missing.');
    return;
  }

  // count: agent messages the iframe reported; seen: those shown.
  var frame, isOpen, ready, token, session, count = 0, seen = 0, active = false, slot = 'baton:' + key;
  var handlers = {};

  function restore(s) {
    session = s && s.session || '';
    active = !!(s && s.active);
    seen = active && +s.seen || 0;
    if (!active) count = 0; // ended: the next conversation counts from 0
  }
  function save() {
    try { localStorage.setItem(slot, JSON.stringify({ active: active, seen: seen, session: session })); } catch (e) {}
  }
  try { restore(JSON.parse(localStorage.getItem(slot))); } catch (e) {} // blocked: start afresh

  function emit(name, detail) {
    (handlers[name] || []).forEach(function (fn) { try { fn(detail); } catch (e) { console.error(e); } });
  }

  var root = document.createElement('div');
  root.setAttribute('data-baton', '');
  var style = document.createElement('style');
  style.textContent =
    '[data-baton] .baton-launcher{position:fixed;right:16px;bottom:16px;width:56px;height:56px;' +
    'border-radius:50%;border:0;background:#3b5bdb;color:#fff;cursor:pointer;z-index:2147483646;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}' +
    '[data-baton] .baton-launcher:focus-visible{outline:3px solid #ffd43b;outline-offset:2px}' +
    '[data-baton] .baton-badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;' +
    'padding:0 5px;border-radius:10px;background:#e03131;color:#fff;font:600 12px/20px system-ui,sans-serif}' +
    '[data-baton] .baton-frame{position:fixed;right:16px;bottom:84px;width:380px;height:600px;' +
    'max-width:calc(100vw - 16px);max-height:calc(100vh - 100px);border:0;border-radius:12px;' +
    'box-shadow:0 8px 30px rgba(0,0,0,.3);z-index:2147483647;background:#fff;display:none}' +
    '@media (max-width:420px){[data-baton] .baton-frame{right:8px;left:8px;width:auto;bottom:80px}}';
  root.appendChild(style);

  var button = document.createElement('button');
  button.type = 'button';
  button.className = 'baton-launcher';
  button.innerHTML =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" aria-hidden="true">' +
    '<path d="M4 5h16v11H8l-4 4V5z" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>';
  var badge = document.createElement('span');
  badge.className = 'baton-badge';
  button.appendChild(badge);
  root.appendChild(button);

  function render() {
    var unread = isOpen ? 0 : Math.max(0, count - seen);
    badge.hidden = !unread;
    badge.textContent = unread > 9 ? '9+' : unread;
    button.setAttribute('aria-label', (isOpen ? 'Close' : 'Open') + ' chat' +
      (unread ? ' (' + unread + ' unread)' : ''));
    button.setAttribute('aria-expanded', !!isOpen);
  }
  render();

  function post(message) {
    if (frame && ready) frame.contentWindow.postMessage(message, base);
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

  var warmed = false;
  function warm() {
    if (warmed) return;
    warmed = true;
    ['/pkg/baton.js', '/pkg/baton.wasm', '/baton.css'].forEach(function (path) {
      var link = document.createElement('link');
      link.rel = 'prefetch';
      link.href = base + path;
      document.head.appendChild(link);
    });
  }

  button.addEventListener('click', function () { isOpen ? close() : open(); });
  button.addEventListener('pointerenter', warm);
  button.addEventListener('focus', warm);
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && isOpen) close();
  });

  window.addEventListener('message', function (e) {
    if (e.origin !== base || !frame || e.source !== frame.contentWindow) return;
    var data = e.data || {};
    if (data.type === 'baton:ready') {
      ready = true;
      count = 0; // it replays the transcript
      post({ type: 'baton:session', token: session });
      if (token) post({ type: 'baton:identify', token: token });
      emit('ready');
    } else if (data.type === 'baton:close') {
      close();
    } else if (data.type === 'baton:message') {
      count = +data.count || 0;
      if (isOpen) { seen = count; save(); }
      render();
      emit('message', { count: count });
    } else if (data.type === 'baton:session') {
      session = String(data.token || '');
      save();
    } else if (data.type === 'baton:conversation') {
      restore({ active: data.active, seen: seen, session: session });
      save();
      render();
    }
  });

  window.addEventListener('storage', function (e) {
    if (e.key !== slot) return;
    var was = session;
    try { restore(JSON.parse(e.newValue)); } catch (x) {}
    if (session !== was) post({ type: 'baton:session', token: session }); // signed in or out there
    if (active) ensureFrame();
    render();
  });

  if (active) ensureFrame();

  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);

  window.Baton = {
    version: 1,
    open: open,
    close: close,
    identify: function (jwt) {
      token = String(jwt);
      post({ type: 'baton:identify', token: token });
    },
    on: function (name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
    }
  };
})();
