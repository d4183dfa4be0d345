// Reload the agenda in place when the organisers publish a new version.
(function () {
  "use strict";
  var agenda = document.getElementById("agenda");
  if (!agenda || !window.WebSocket) { return; }
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";

  function shownVersion(root) {
    var marker = root.querySelector("#agenda-version");
    return marker ? marker.getAttribute("data-version") : null;
  }

  // Fetch the agenda's body and swap it in when it shows another version than the page.
  function refresh() {
    fetch(agenda.dataset.refreshUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        var fresh = document.createElement("div");
        fresh.innerHTML = html;
        if (shownVersion(fresh) === shownVersion(agenda)) { return; }
        agenda.innerHTML = html;
        var status = document.getElementById("agenda-status");
        if (status) { status.textContent = agenda.dataset.labelUpdated; }
      })
      .catch(function () {});
  }

  function connect() {
    var socket = new WebSocket(scheme + window.location.host + agenda.dataset.socket);
    socket.onopen = function () {
      agenda.dataset.live = "connected";
      refresh();  // a publication between page load and subscription is not replayed
    };
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
