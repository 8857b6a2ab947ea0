// Progressive enhancement: suggestions for the search box from /search/suggest.
(function () {
  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-suggestions");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) return;
    timer = setTimeout(function () {
      fetch("/search/suggest?limit=8&q=" + encodeURIComponent(text))
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          while (list.firstChild) list.removeChild(list.firstChild);
          data.results.forEach(function (hit) {
            var option = document.createElement("option");
            option.value = hit.label;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
