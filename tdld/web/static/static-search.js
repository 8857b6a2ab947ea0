// Search for the static site, where no server answers /search: filter a prebuilt label index.
(function () {
  var box = document.getElementById("static-results");
  var q = new URLSearchParams(window.location.search).get("q") || "";
  if (!box || !q.trim() || !window.fetch) return;
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/-/g, " ").trim();
  }
  var needle = fold(q);
  var input = document.getElementById("site-search");
  if (input) input.value = q;
  fetch("search-index.json").then(function (r) { return r.json(); }).then(function (entries) {
    var seen = {}, hits = [];
    entries.forEach(function (e) {
      if (e.f.indexOf(needle) !== -1 && !seen[e.p]) { seen[e.p] = true; hits.push(e); }
    });
    var heading = document.createElement("h2");
    heading.textContent = hits.length + " result(s) for “" + q + "”";
    box.appendChild(heading);
    var list = document.createElement("ol");
    hits.slice(0, 50).forEach(function (e) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = e.p + ".html";
      link.textContent = e.t;
      item.appendChild(link);
      if (e.l !== e.t) { item.appendChild(document.createTextNode(" — " + e.l + (e.lang ? " @" + e.lang : ""))); }
      list.appendChild(item);
    });
    box.appendChild(list);
  }).catch(function () {});
})();
