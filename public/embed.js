/*! Baton chat embed. Add to any page:
 *    <script src="https://YOUR-BATON/embed.js" data-baton-widget="WIDGET_KEY" async></script>
 *  It draws a launcher button and, only when the customer opens the chat, an iframe with the
 *  widget. Nothing else loads before that. API on window.Baton:
 *    Baton.open(), Baton.close(), Baton.identify(token), Baton.on(event, fn)
 *  Events: "open", "close", "message" ({count}), "ready".
 */
(function () {
  'use strict';
  if (window.Baton && window.Baton.version) return;

  var script = document.currentScript ||
    document.querySelector('script[data-baton-widget]');
  if (!script) return;
  var key = script.getAttribute('data-baton-widget');
  var base = new URL(script.src, location.href).origin;
  if (!key) {
    console.warn('Baton: the script tag needs data-baton-widget="<widget key>".');
    return;
  }

  var frame = null, isOpen = false, ready = false, unread = 0, seen = 0, token = null;
  var handlers = {};

  function emit(name, detail) {
    (handlers[name] || []).forEach(function (fn) {
      try { fn(detail); } catch (e) { console.error(e); }
    });
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
  button.setAttribute('aria-label', 'Open chat');
  button.setAttribute('aria-expanded', 'false');
  button.innerHTML =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" aria-hidden="true">' +
    '<path d="M4 5h16v11H8l-4 4V5z" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>';
  var badge = document.createElement('span');
  badge.className = 'baton-badge';
  badge.hidden = true;
  button.appendChild(badge);
  root.appendChild(button);

  function render() {
    badge.hidden = unread === 0;
    badge.textContent = unread > 9 ? '9+' : String(unread);
    var label = isOpen ? 'Close chat' : 'Open chat';
    if (unread > 0 && !isOpen) label += ' (' + unread + ' unread)';
    button.setAttribute('aria-label', label);
    button.setAttribute('aria-expanded', String(isOpen));
  }

  function post(message) {
    if (frame && ready) frame.contentWindow.postMessage(message, base);
  }

  function ensureFrame() {
    if (frame) return;
    frame = document.createElement('iframe');
    frame.className = 'baton-frame';
    frame.title = 'Chat';
    frame.src = base + '/w/' + encodeURIComponent(key);
    frame.setAttribute('allow', 'clipboard-write');
    root.appendChild(frame);
  }

  function open() {
    ensureFrame();
    frame.style.display = 'block';
    isOpen = true;
    unread = 0;
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

  // Intent to open (hover, focus): fetch the widget's code ahead of the click. Not on idle:
  // most visitors never open the chat and should not pay for it.
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
      if (token) post({ type: 'baton:identify', token: token });
      emit('ready');
    } else if (data.type === 'baton:close') {
      close();
    } else if (data.type === 'baton:message') {
      var count = Number(data.count) || 0;
      if (!isOpen && count > seen) unread += count - seen;
      seen = Math.max(seen, count);
      render();
      emit('message', { count: count });
    }
  });

  function mount() { document.body.appendChild(root); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);

  window.Baton = {
    version: 1,
    open: open,
    close: close,
    /** Signs the customer in with a token your server signed (HS256 JWT: sub, exp, jti; name and email optional). */
    identify: function (jwt) {
      token = String(jwt);
      post({ type: 'baton:identify', token: token });
    },
    on: function (name, fn) {
      (handlers[name] = handlers[name] || []).push(fn);
    }
  };
})();
