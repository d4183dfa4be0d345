// Ranking offers without reloading: "Move up"/"Move down" buttons (keyboard and pointer)
// and drag and drop reorder the list in place; the hidden inputs travel with their items,
// so "Save ranking" posts the order shown. Without this script the same buttons submit the
// form and the server applies the move.
(function () {
  "use strict";

  var form = document.querySelector("[data-demand]");
  if (!form) { return; }
  var list = form.querySelector("[data-ranking]");
  var announcer = form.querySelector("[data-announce]");
  var unsavedNote = form.querySelector("[data-unsaved-note]");

  function items() { return Array.prototype.slice.call(list.children); }

  function changed(item) {
    var all = items();
    var position = all.indexOf(item) + 1;
    announcer.textContent = item.dataset.title + ": " + form.dataset.moved
      .replace("{position}", position).replace("{count}", all.length);
    unsavedNote.textContent = form.dataset.unsaved;
    unsavedNote.hidden = false;
  }

  function move(item, direction) {
    var sibling = direction === "up" ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling) { return false; }
    if (direction === "up") { list.insertBefore(item, sibling); }
    else { list.insertBefore(sibling, item); }
    return true;
  }

  if (list) {
    list.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) { return; }
      event.preventDefault();
      var item = button.closest("li");
      if (move(item, button.dataset.move)) {
        button.focus();
        changed(item);
      }
    });

    var dragged = null;
    items().forEach(function (item) { item.setAttribute("draggable", "true"); });
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li");
      if (!dragged) { return; }
      dragged.classList.add("ranking__item--dragged");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.offer);
    });
    list.addEventListener("dragover", function (event) {
      var target = event.target.closest("li");
      if (!dragged || !target || target === dragged) { return; }
      event.preventDefault();
      var box = target.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? target.nextElementSibling : target);
    });
    list.addEventListener("drop", function (event) { event.preventDefault(); });
    list.addEventListener("dragend", function () {
      if (!dragged) { return; }
      dragged.classList.remove("ranking__item--dragged");
      changed(dragged);
      dragged = null;
    });
  }

  // Filter the offers as one types; the search button still works without this script.
  var search = document.querySelector("[data-offer-search]");
  var count = document.querySelector("[data-search-count]");
  var offers = Array.prototype.slice.call(document.querySelectorAll("[data-search-text]"));
  if (search && offers.length) {
    search.addEventListener("input", function () {
      var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      offers.forEach(function (offer) {
        var text = offer.dataset.searchText.toLowerCase();
        var match = terms.every(function (term) { return text.indexOf(term) !== -1; });
        offer.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = terms.length ? shown + " / " + offers.length : "";
    });
  }
}());
