// Live progress of the workshop's optimiser runs, from the organisers' WebSocket group.
(function () {
  "use strict";
  var section = document.getElementById("solve-progress");
  if (!section || !window.WebSocket) { return; }
  var bar = document.getElementById("solve-fraction");
  var line = document.getElementById("solve-line");
  var labels = section.dataset;
  var statusLabels = {
    running: labels.labelRunning, succeeded: labels.labelFinished,
    cancelled: labels.labelCancelled, failed: labels.labelFailed
  };

  function number(value) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(1);
  }

  function showProgress(data) {
    bar.value = data.fraction || 0;
    line.textContent = statusLabels.running + " · " + labels.labelElapsed + " " +
      number(data.elapsed) + " s · " + labels.labelBest + " " + number(data.best) + " · " +
      labels.labelBound + " " + number(data.bound);
  }

  function showFinished(data) {
    bar.value = data.status === "succeeded" ? 1 : bar.value;
    var text = (statusLabels[data.status] || data.status);
    if (data.error) { text += ": " + data.error; }
    line.textContent = text + " · " + labels.labelReload;
    var reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = " ↻";
    line.appendChild(reload);
  }

  // Once subscribed, read the run's state: it may have moved on (or ended) before the
  // socket was open, and those messages are not replayed.
  function catchUp() {
    if (!labels.statusUrl) { return; }
    fetch(labels.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "running") { showProgress(data); }
        else if (data.status !== "queued") { showFinished(data); }
      })
      .catch(function () {});
  }

  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  function connect() {
    var socket = new WebSocket(scheme + window.location.host + labels.socket);
    socket.onopen = catchUp;
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.kind === "progress") { showProgress(data); }
      else if (data.kind === "finished") { showFinished(data); }
      else if (data.kind === "status") { line.textContent = statusLabels[data.status] || data.status; }
    };
    socket.onclose = function (event) {
      if (event.code !== 4403) { window.setTimeout(connect, 3000); }
    };
  }
  connect();
}());
