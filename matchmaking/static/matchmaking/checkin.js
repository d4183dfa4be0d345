// Check-in on a phone with a flaky connection: each tap becomes a mark with its own id,
// kept in localStorage until the server acknowledges it. The queue is sent at once, again
// when the browser comes back online, and every few seconds while marks wait. The server
// ignores a mark id it already has, so sending a mark twice never counts it twice.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root || !window.fetch || !window.localStorage) { return; }
  var status = document.getElementById("checkin-status");
  var queueKey = root.dataset.queueKey;
  var tokenInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var sending = false;
  var BATCH = 100;
  var RETRY_MS = 5000;

  function readQueue() {
    try { return JSON.parse(window.localStorage.getItem(queueKey)) || []; }
    catch (error) { return []; }
  }

  function writeQueue(queue) {
    window.localStorage.setItem(queueKey, JSON.stringify(queue));
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function buttonFor(round, delegation) {
    return root.querySelector('.checkin-toggle[data-round="' + round + '"][data-delegation="' +
                              delegation + '"]');
  }

  function show(button, came, pending) {
    button.setAttribute("aria-pressed", came ? "true" : "false");
    var label = came ? root.dataset.labelCame : root.dataset.labelAbsent;
    if (pending) { label += " (" + root.dataset.labelPending + ")"; }
    button.querySelector(".checkin-state").textContent = label;
  }

  function say(text, offline) {
    status.textContent = text;
    status.classList.toggle("checkin-offline", Boolean(offline));
  }

  function report() {
    var waiting = readQueue().length;
    if (waiting) {
      say(root.dataset.labelWaiting.replace("{count}", waiting), true);
    } else {
      say(root.dataset.labelSent, false);
    }
  }

  // Marks still queued (from before a reload) win over what the server rendered.
  function applyQueued() {
    readQueue().forEach(function (mark) {
      var button = buttonFor(mark.round, mark.delegation);
      if (button) { show(button, mark.present, true); }
    });
  }

  function settle(done, refused) {
    var finished = {};
    done.forEach(function (id) { finished[id] = true; });
    refused.forEach(function (item) { finished[item.id] = true; });
    var rest = readQueue().filter(function (mark) { return !finished[mark.id]; });
    writeQueue(rest);
    root.querySelectorAll(".checkin-toggle").forEach(function (button) {
      var waiting = rest.some(function (mark) {
        return String(mark.round) === button.dataset.round &&
          mark.delegation === button.dataset.delegation;
      });
      if (!waiting) { show(button, button.getAttribute("aria-pressed") === "true", false); }
    });
    return rest;
  }

  function flush() {
    var queue = readQueue();
    if (!queue.length) {
      if (status.textContent) { report(); }
      return;
    }
    if (sending) { return; }
    sending = true;
    var batch = queue.slice(0, BATCH);
    fetch(root.dataset.marksUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": tokenInput.value },
      body: JSON.stringify({ marks: batch })
    })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
      .then(function (answer) {
        sending = false;
        var rest = settle(answer.accepted.concat(answer.duplicates), answer.refused);
        if (answer.refused.length) {
          say(root.dataset.labelRefused + " " + answer.refused.map(function (item) {
            return item.error;
          }).join(" "), true);
        } else {
          report();
        }
        if (rest.length) { flush(); }
      })
      .catch(function () {
        sending = false;
        report();
      });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target.closest("form.checkin-mark");
    if (!form) { return; }
    event.preventDefault();
    var button = form.querySelector(".checkin-toggle");
    var came = button.getAttribute("aria-pressed") !== "true";
    var queue = readQueue();
    queue.push({
      id: newId(),
      round: Number(button.dataset.round),
      delegation: button.dataset.delegation,
      present: came,
      at: new Date().toISOString()
    });
    writeQueue(queue);
    show(button, came, true);
    report();
    flush();
  });

  window.addEventListener("online", flush);
  window.setInterval(function () { if (readQueue().length) { flush(); } }, RETRY_MS);
  applyQueued();
  flush();
}());
