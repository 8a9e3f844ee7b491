/* report.js - the script of report.html (rollsim report): the replay
 * of a run and its event table.  Embedded in the page.
 *
 * The data come from the page's JSON block (#rollsim-data), written by
 * rollsim from the run's files: every string is shown with textContent
 * or as an attribute value, never parsed as markup.
 *
 * The replay at time t applies every event with time <= t to an empty
 * cluster.  A pod's state follows its events: pod-created -> pending,
 * pod-scheduled -> pulling (its node), pod-started and
 * container-restarted -> starting, pod-crashed -> crash-backoff,
 * pod-ready -> ready, pod-available -> available, a readiness failure
 * (probe-failed ... not ready) or its node's node-not-ready -> not-ready,
 * pod-terminating -> terminating, pod-deleted -> gone.  Counted as
 * versions.csv counts: pending; pulling, starting, crash-backoff and
 * not-ready as starting; ready and available as ready (available also
 * as available); terminating apart from pods.  versions.csv's row at T
 * is the state after every event at T (design.md 7.3), as is the board
 * at T: they agree at every sample time.
 */
(function () {
  'use strict';
  var dataEl = document.getElementById('rollsim-data');
  if (!dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var kinds = D.kinds;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(t) { return (Math.round(t * 1000) / 1000).toFixed(3); }

  /* --- The event table --------------------------------------------------- */
  var table = document.getElementById('events-table');
  if (table && D.events) {
    var tbody = table.tBodies[0];
    var kindSel = document.getElementById('kind-filter');
    var objIn = document.getElementById('object-filter');
    var more = document.getElementById('more-events');
    var countEl = document.getElementById('event-count');
    var present = {};
    D.events.forEach(function (e) { present[e[1]] = true; });
    kinds.forEach(function (k, i) {
      if (!present[i]) return;
      var o = el('option', null, k);
      o.value = String(i);
      kindSel.appendChild(o);
    });
    var shown = 300, matches = [];
    var render = function () {
      var k = kindSel.value, q = objIn.value.trim().toLowerCase();
      matches = D.events.filter(function (e) {
        return (k === '' || e[1] === +k) &&
          (q === '' || e[2].toLowerCase().indexOf(q) >= 0 ||
           e[3].toLowerCase().indexOf(q) >= 0);
      });
      tbody.textContent = '';
      var frag = document.createDocumentFragment();
      matches.slice(0, shown).forEach(function (e) {
        var tr = el('tr');
        tr.dataset.t = String(e[0]);
        tr.appendChild(el('td', 'num', fmt(e[0])));
        tr.appendChild(el('td', null, kinds[e[1]]));
        tr.appendChild(el('td', null, e[2]));
        tr.appendChild(el('td', null, e[3]));
        tr.appendChild(el('td', 'num', e[4] === null ? '' : String(e[4])));
        tr.appendChild(el('td', null, e[5]));
        frag.appendChild(tr);
      });
      tbody.appendChild(frag);
      countEl.textContent = Math.min(shown, matches.length) + ' of ' +
        matches.length + ' events shown (click a row to replay it)';
      more.hidden = matches.length <= shown;
    };
    kindSel.addEventListener('change', function () { shown = 300; render(); });
    objIn.addEventListener('input', function () { shown = 300; render(); });
    more.addEventListener('click', function () { shown += 2000; render(); });
    tbody.addEventListener('click', function (ev) {
      var tr = ev.target.closest('tr');
      if (tr && window.rollsimReplay) {
        window.rollsimReplay.seek(+tr.dataset.t);
        document.getElementById('replay').scrollIntoView();
      }
    });
    render();
  }

  /* --- The replay -------------------------------------------------------- */
  var board = document.getElementById('board');
  if (!board) return;
  var K = {};
  kinds.forEach(function (k, i) { K[k] = i; });
  var colour = {};
  D.versions.forEach(function (v, i) { colour[v] = D.colours[i % D.colours.length]; });
  var events = D.events;
  var trace = D.trace;

  function emptyState() {
    var nodes = new Map();
    D.nodes.forEach(function (n) {
      nodes.set(n, { ready: true, cordoned: false, gone: false });
    });
    return { pods: new Map(), rs: new Map(), services: new Map(),
             balancers: new Map(), weight: null, nodes: nodes, next: 0 };
  }
  function node(S, name) {
    var n = S.nodes.get(name);
    if (!n) {
      n = { ready: true, cordoned: false, gone: false };
      S.nodes.set(name, n);
    }
    return n;
  }
  function apply(S, e) {
    var k = kinds[e[1]], obj = e[2], p = S.pods.get(obj);
    switch (k) {
    case 'pod-created':
      S.pods.set(obj, { version: e[3], state: 'pending', node: null, endpoint: false });
      return;
    case 'replicaset-created':
    case 'replicaset-scaled':
      S.rs.set(obj, { version: e[3], desired: e[4] === null ? 0 : e[4] });
      return;
    case 'service-switched': S.services.set(obj, e[3]); return;
    case 'balancers-updated': S.balancers.set(obj, e[5]); return;
    case 'weight-set': S.weight = e[4]; return;
    case 'node-not-ready':
      node(S, obj).ready = false;
      S.pods.forEach(function (q) {
        if (q.node === obj && (q.state === 'ready' || q.state === 'available'))
          q.state = 'not-ready';
      });
      return;
    case 'node-ready': node(S, obj).ready = true; return;
    case 'node-cordoned': node(S, obj).cordoned = true; return;
    case 'node-uncordoned': node(S, obj).cordoned = false; return;
    case 'node-added': var a = node(S, obj); a.gone = false; a.ready = true; return;
    case 'node-removed': node(S, obj).gone = true; return;
    }
    if (!p) return;
    switch (k) {
    case 'pod-unschedulable': p.state = 'pending'; break;
    case 'pod-scheduled': p.node = e[5]; p.state = 'pulling'; node(S, e[5]); break;
    case 'pod-started': case 'container-restarted': p.state = 'starting'; break;
    case 'pod-crashed': p.state = 'crash-backoff'; break;
    case 'pod-ready': p.state = 'ready'; break;
    case 'pod-available': if (p.state === 'ready') p.state = 'available'; break;
    case 'probe-failed':
      if (/not ready$/.test(e[5]) && (p.state === 'ready' || p.state === 'available'))
        p.state = 'not-ready';
      break;
    case 'pod-terminating': p.state = 'terminating'; break;
    case 'pod-deleted': S.pods.delete(obj); break;
    case 'endpoint-added': p.endpoint = true; break;
    case 'endpoint-removed': p.endpoint = false; break;
    }
  }

  /* The state at t: from the state before when time moves on, else
   * again from the start (a few thousand events: a millisecond). */
  var S = emptyState(), shownT = -1;
  function stateAt(t) {
    if (t < shownT) S = emptyState();
    while (S.next < events.length && events[S.next][0] <= t) apply(S, events[S.next++]);
    shownT = t;
    return S;
  }

  /* --- Drawing ----------------------------------------------------------- */
  var slider = document.getElementById('slider');
  var clock = document.getElementById('clock');
  var narration = document.getElementById('narration');
  var services = document.getElementById('services');
  var rsBody = document.getElementById('replicasets').tBodies[0];
  var nodeEls = new Map(), podEls = new Map();
  var pendingLane = el('div', 'node pending-lane');
  pendingLane.dataset.node = '';
  pendingLane.appendChild(el('h3', null, 'not scheduled (Pending)'));
  pendingLane.appendChild(el('div', 'pods'));
  board.appendChild(pendingLane);

  function nodeEl(name) {
    var n = nodeEls.get(name);
    if (!n) {
      n = el('div', 'node');
      n.dataset.node = name;
      n.appendChild(el('h3', null, name));
      n.appendChild(el('div', 'pods'));
      board.appendChild(n);
      nodeEls.set(name, n);
    }
    return n;
  }
  D.nodes.forEach(nodeEl);
  var rsRows = new Map();
  D.versions.forEach(function (v) {
    var tr = el('tr');
    tr.dataset.version = v;
    var td = el('td');
    var sw = el('span', 'swatch');
    sw.style.setProperty('--c', colour[v]);
    td.appendChild(sw);
    td.appendChild(document.createTextNode(v));
    tr.appendChild(td);
    ['names', 'desired', 'pods', 'ready', 'available', 'terminating'].forEach(function (c) {
      var cell = el('td', c === 'names' ? null : 'num');
      cell.dataset.col = c;
      tr.appendChild(cell);
    });
    rsBody.appendChild(tr);
    rsRows.set(v, tr);
  });

  function lastAtOrBefore(list, t) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid][0] <= t) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  function draw(t) {
    var st = stateAt(t);
    slider.value = String(t);
    clock.textContent = fmt(t) + ' s';
    /* Nodes. */
    st.nodes.forEach(function (n, name) {
      var e = nodeEl(name);
      e.dataset.ready = String(n.ready);
      e.dataset.cordoned = String(n.cordoned);
      e.dataset.gone = String(n.gone);
    });
    /* Pods: an element each, moved only when its node changes. */
    var seen = new Set();
    st.pods.forEach(function (p, name) {
      seen.add(name);
      var e = podEls.get(name);
      if (!e) {
        e = el('span', 'pod');
        e.dataset.pod = name;
        e.dataset.version = p.version;
        e.style.setProperty('--c', colour[p.version] || '#667085');
        podEls.set(name, e);
      }
      if (e.dataset.state !== p.state) {
        e.dataset.state = p.state;
        e.title = name + ' (' + p.version + '): ' + p.state + (p.node ? ' on ' + p.node : '');
      }
      e.dataset.endpoint = String(p.endpoint);
      var home = (p.node ? nodeEl(p.node) : pendingLane).lastChild;
      if (e.parentNode !== home) home.appendChild(e);
    });
    podEls.forEach(function (e, name) {
      if (!seen.has(name)) { e.remove(); podEls.delete(name); }
    });
    /* ReplicaSets per version, counted as versions.csv counts. */
    var count = {};
    D.versions.forEach(function (v) {
      count[v] = { names: [], desired: 0, pods: 0, ready: 0, available: 0, terminating: 0 };
    });
    st.rs.forEach(function (r, name) {
      var c = count[r.version];
      if (c) { c.names.push(name); c.desired += r.desired; }
    });
    st.pods.forEach(function (p) {
      var c = count[p.version];
      if (!c) return;
      if (p.state === 'terminating') { c.terminating++; return; }
      c.pods++;
      if (p.state === 'ready' || p.state === 'available') c.ready++;
      if (p.state === 'available') c.available++;
    });
    rsRows.forEach(function (tr, v) {
      var c = count[v];
      tr.dataset.desired = String(c.desired);
      tr.dataset.pods = String(c.pods);
      tr.dataset.ready = String(c.ready);
      tr.dataset.available = String(c.available);
      tr.dataset.terminating = String(c.terminating);
      Array.prototype.forEach.call(tr.cells, function (cell) {
        var col = cell.dataset.col;
        if (!col) return;
        var text = col === 'names' ? c.names.join(', ') : String(c[col]);
        if (cell.textContent !== text) cell.textContent = text;
      });
    });
    /* Services and the router's weight. */
    services.textContent = '';
    st.services.forEach(function (v, s) {
      var d = el('div');
      d.dataset.service = s;
      d.dataset.version = v;
      d.textContent = 'Service ' + s + ' selects ' + v;
      services.appendChild(d);
    });
    st.balancers.forEach(function (where, s) {
      var d = el('div');
      d.dataset.balancers = s;
      d.textContent = 'load balancers of ' + s + ': ' + where;
      services.appendChild(d);
    });
    if (st.weight !== null) {
      var w = el('div');
      w.id = 'weight';
      w.dataset.weight = String(st.weight);
      w.textContent = 'canary weight ' + st.weight + '%';
      services.appendChild(w);
    }
    if (!services.firstChild) services.appendChild(el('div', 'note', 'no Service change yet'));
    /* The trace's lines up to t, the last one in bold. */
    var i = lastAtOrBefore(trace, t);
    narration.textContent = '';
    for (var j = Math.max(0, i - 3); j <= i; j++) {
      var line = el('div', j === i ? 'now' : null, 't=' + fmt(trace[j][0]) + 's ' + trace[j][1]);
      narration.appendChild(line);
    }
    if (i < 0) narration.appendChild(el('div', null, '(nothing has happened yet)'));
  }

  /* --- Time: the slider, the URL (#t=42.5), play ----------------------- */
  var end = D.end;
  function clamp(t) { return Math.min(end, Math.max(0, isFinite(t) ? t : 0)); }
  function seek(t, keepUrl) {
    t = clamp(t);
    draw(t);
    if (!keepUrl) history.replaceState(null, '', '#t=' + fmt(t).replace(/\.?0+$/, ''));
  }
  function fromHash() {
    var m = /(?:^#|&)t=([0-9]+(?:\.[0-9]+)?)/.exec(location.hash);
    return m ? +m[1] : null;
  }
  slider.addEventListener('input', function () { stop(); seek(+slider.value); });
  window.addEventListener('hashchange', function () {
    var t = fromHash();
    if (t !== null) seek(t, true);
  });
  var playBtn = document.getElementById('play');
  var speedSel = document.getElementById('speed');
  var playing = false, last = 0;
  function frame(now) {
    if (!playing) return;
    var t = +slider.value + (now - last) / 1000 * +speedSel.value;
    last = now;
    if (t >= end) { seek(end); stop(); return; }
    seek(t);
    requestAnimationFrame(frame);
  }
  function stop() { playing = false; playBtn.textContent = 'Play'; }
  playBtn.addEventListener('click', function () {
    if (playing) { stop(); return; }
    if (+slider.value >= end) seek(0);
    playing = true;
    playBtn.textContent = 'Pause';
    last = performance.now();
    requestAnimationFrame(frame);
  });
  /* Jump to the previous or next instant something happened. */
  document.getElementById('prev-event').addEventListener('click', function () {
    stop();
    var i = lastAtOrBefore(events, +slider.value - 0.0005);
    seek(i >= 0 ? events[i][0] : 0);
  });
  document.getElementById('next-event').addEventListener('click', function () {
    stop();
    var i = lastAtOrBefore(events, +slider.value) + 1;
    if (i < events.length) seek(events[i][0]);
  });
  /* A speed that plays the run in about half a minute. */
  var options = Array.prototype.map.call(speedSel.options, function (o) { return +o.value; });
  var pick = options.filter(function (s) { return s >= end / 30; })[0] || options[options.length - 1];
  speedSel.value = String(pick);

  window.rollsimReplay = { seek: seek, state: function () { return S; } };
  var start = fromHash();
  seek(start === null ? 0 : start, start === null);
})();
