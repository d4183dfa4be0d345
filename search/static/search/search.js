/* Autocomplete for the search box: the ARIA 1.2 combobox pattern with a listbox popup.
   Without JavaScript the box is a plain search field; nothing else depends on this file. */
(function () {
    "use strict";

    var input = document.getElementById("search-q");
    var listbox = document.getElementById("search-suggestions");
    var status = document.getElementById("search-suggestions-status");
    if (!input || !listbox || !window.fetch) {
        return;
    }
    var form = input.form;
    var url = input.getAttribute("data-suggest-url");
    var options = [];
    var active = -1;
    var timer = null;
    var latestRequest = 0;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");

    function announce(count) {
        if (count === 0) {
            status.textContent = input.getAttribute("data-no-suggestions");
        } else if (count === 1) {
            status.textContent = input.getAttribute("data-one-suggestion");
        } else {
            status.textContent = input.getAttribute("data-many-suggestions").replace("%(count)s", count);
        }
    }

    function close() {
        listbox.hidden = true;
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        active = -1;
    }

    function highlight(index) {
        options.forEach(function (option, position) {
            option.setAttribute("aria-selected", position === index ? "true" : "false");
        });
        active = index;
        if (index >= 0) {
            input.setAttribute("aria-activedescendant", options[index].id);
            options[index].scrollIntoView({block: "nearest"});
        } else {
            input.removeAttribute("aria-activedescendant");
        }
    }

    function choose(option) {
        input.value = option.getAttribute("data-value");
        close();
        form.submit();
    }

    function render(suggestions) {
        listbox.textContent = "";
        options = suggestions.map(function (suggestion, index) {
            var option = document.createElement("li");
            option.id = "search-suggestion-" + index;
            option.className = "combobox__option";
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.setAttribute("data-value", suggestion.title);
            option.appendChild(document.createTextNode(suggestion.title));
            var kind = document.createElement("small");
            kind.textContent = suggestion.type_label;
            option.appendChild(kind);
            option.addEventListener("mousedown", function (event) {
                event.preventDefault();  // keep focus in the input
                choose(option);
            });
            listbox.appendChild(option);
            return option;
        });
        announce(options.length);
        if (options.length) {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
        } else {
            close();
        }
        active = -1;
    }

    function fetchSuggestions() {
        var prefix = input.value.trim();
        if (prefix.length < 2) {
            close();
            return;
        }
        var requestNumber = ++latestRequest;
        var language = document.documentElement.getAttribute("lang") || "en";
        fetch(url + "?q=" + encodeURIComponent(prefix) + "&lang=" + encodeURIComponent(language),
              {headers: {"Accept": "application/json"}})
            .then(function (response) { return response.ok ? response.json() : []; })
            .then(function (suggestions) {
                if (requestNumber === latestRequest && document.activeElement === input) {
                    render(suggestions);
                }
            })
            .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(fetchSuggestions, 150);
    });

    input.addEventListener("keydown", function (event) {
        var open = !listbox.hidden && options.length > 0;
        if (event.key === "ArrowDown") {
            if (!open) { fetchSuggestions(); return; }
            event.preventDefault();
            highlight(active + 1 < options.length ? active + 1 : 0);
        } else if (event.key === "ArrowUp" && open) {
            event.preventDefault();
            highlight(active > 0 ? active - 1 : options.length - 1);
        } else if (event.key === "Enter" && open && active >= 0) {
            event.preventDefault();
            choose(options[active]);
        } else if (event.key === "Escape" && open) {
            event.preventDefault();
            close();
        }
    });

    input.addEventListener("blur", function () {
        window.setTimeout(close, 100);
    });
}());
