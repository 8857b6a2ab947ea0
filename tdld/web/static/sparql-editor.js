// SPARQL editor: syntax highlighting over a plain textarea, example questions. Works without it too.
(function () {
  var area = document.getElementById("query");
  if (!area) return;
  var box = area.parentNode, pre = box.querySelector("pre.highlight");
  var KEYWORDS = /^(SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|PREFIX|BASE|FROM|NAMED|OPTIONAL|FILTER|UNION|MINUS|GRAPH|SERVICE|SILENT|BIND|AS|VALUES|GROUP|BY|ORDER|ASC|DESC|HAVING|LIMIT|OFFSET|DISTINCT|REDUCED|NOT|EXISTS|IN|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|LANGMATCHES|DATATYPE|BOUND|IRI|URI|BNODE|REGEX|CONTAINS|STRSTARTS|STRENDS|LCASE|UCASE|COALESCE|IF|YEAR|a|true|false)$/i;
  var TOKEN = /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|(#[^\n]*)|([?$][\w]+)|([A-Za-z][\w.-]*:[\w.:%-]*)|([A-Za-z_]\w*)|([\s\S])/g;
  function escapeHtml(text) { return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); }
  function paint() {
    var out = "", m, text = area.value;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      var t = escapeHtml(m[0]);
      if (m[1]) out += '<span class="str">' + t + "</span>";
      else if (m[2]) out += '<span class="iri">' + t + "</span>";
      else if (m[3]) out += '<span class="cm">' + t + "</span>";
      else if (m[4]) out += '<span class="var">' + t + "</span>";
      else if (m[5]) out += '<span class="pn">' + t + "</span>";
      else if (m[6] && KEYWORDS.test(m[6])) out += '<span class="kw">' + t + "</span>";
      else out += t;
    }
    pre.innerHTML = out + "\n";
    pre.scrollTop = area.scrollTop;
  }
  box.classList.add("enhanced");
  area.addEventListener("input", paint);
  area.addEventListener("scroll", function () { pre.scrollTop = area.scrollTop; });
  paint();
  var select = document.getElementById("examples"), store = document.getElementById("example-queries");
  if (select && store) {
    select.addEventListener("change", function () {
      var source = store.content.querySelector('textarea[data-name="' + select.value + '"]');
      if (source) { area.value = source.value; paint(); area.focus(); }
    });
  }
})();
