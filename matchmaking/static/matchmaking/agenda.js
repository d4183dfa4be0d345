// Reload the agenda in place when the organisers publish a new version.
(function () {
  "use strict";
  var agenda = document.getElementById("agenda");
  if (!agenda || !window.WebSocket) { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";

  function refresh() {
    fetch(agenda.dataset.refreshUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        agenda.innerHTML = html;
        var status = document.getElementById("agenda-status");
        if (status) { status.textContent = agenda.dataset.labelUpdated; }
      })
      .catch(function () {});
  }

  function connect() {
    var socket = new WebSocket(scheme + window.location.host + agenda.dataset.socket);
    socket.onopen = function () { agenda.dataset.live = "connected"; };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.kind === "published") { refresh(); }
    };
    socket.onclose = function (event) {
      agenda.dataset.live = "closed";
      if (event.code !== 4403) { window.setTimeout(connect, 3000); }
    };
  }
  connect();
}());
