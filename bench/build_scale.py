#!/usr/bin/env python3
"""The build's steps at growing sizes: tdld's engines beside fast references, in one run.

    python bench/build_scale.py [--scales 10000,100000,1000000] [--repeat N] [--budget 600] [--json FILE] [--build-only]

For each scale it generates a project (bench/generate.py) into a temporary folder and
times, on the same input and alternating the engines in every round, tdld's own code as
it stands, the engine it was built on, and a fast reference (the last of each step):

- parse: tdld.build.load (every source into a pyoxigraph store, the build's first step) vs rdflib
  Graph.parse vs pyoxigraph Store.load, over the Turtle files;
- SHACL: tdld.build.pipeline.check (its fast validator) vs pyshacl vs pyrudof, on tdld's
  asserted graph and shipped shapes;
- OWL 2 RL: tdld.build.reason as the build runs it (the asserted triples turned into rdflib terms,
  then reasoned over) vs owlrl vs reasonable on an rdflib graph, comparing the useful
  inferred triples;
- dumps: tdld.release.dump.write_dumps vs rdflib's serializers vs pyoxigraph, the same ten files;
- the whole `tdld --root DIR build --force` as a subprocess: wall time and the peak of its processes'
  resident memory summed (between what was seen and the sum of each one's own peak), and their
  proportional set sizes summed (shared pages counted once).

Medians of --repeat rounds (default 3, 1 from a million triples on). A step whose
single run is expected to exceed --budget seconds, judged from the smaller scales of the
same run, is skipped and its extrapolation is printed, marked as such. Figures are
printed, never asserted.
"""

import argparse
import gzip
import importlib.util
import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import owlrl
import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import SH

from tdld.release.dump import write_dumps
from tdld.core.files import write_file
from tdld.core.layout import Layout
from tdld.build.load import Sources, load_sources
from tdld.core.namespaces import PREFIXES, bind_prefixes, graph_iri
from tdld.build.pipeline import check
from tdld.build.reason import is_useful, useful_inferred
from tdld.build.shacl.validate import validate_graph

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from proc_memory import process_tree, rollup_kib, status_kib  # noqa: E402
LARGE = 1_000_000
ASSERTED_LAYERS = ("ontology", "vocabulary", "data", "mappings")
ALL_LAYERS = ASSERTED_LAYERS + ("inferred",)


def load_generator():
    """bench/ is not a package: load generate.py by path."""
    spec = importlib.util.spec_from_file_location("tdld_bench_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def optional(name: str):
    """An engine that may be missing: the module, or None and the reason."""
    try:
        module = __import__(name)
    except ImportError as error:
        return None, f"not installed ({error}); try: pip install {name}"
    return module, ""


pyrudof, PYRUDOF_MISSING = optional("pyrudof")
reasonable, REASONABLE_MISSING = optional("reasonable")


def version_of(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "missing"


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

@dataclass
class Figure:
    """The timings of one engine on one step at one scale, and what it produced."""

    step: str
    engine: str
    seconds: list = field(default_factory=list)
    result: dict = field(default_factory=dict)
    skipped: str = ""
    extrapolated: float | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


@dataclass
class Scale:
    asked: int
    generated: int = 0
    asserted: int = 0
    figures: list = field(default_factory=list)
    notes: list = field(default_factory=list)


class History:
    """Past medians per (step, engine), to predict the next scale and skip what would be too slow."""

    def __init__(self):
        self.points: dict = {}

    def add(self, figure: Figure, size: int) -> None:
        if figure.median is not None:
            self.points.setdefault((figure.step, figure.engine), []).append((size, figure.median))

    def predict(self, step: str, engine: str, size: int) -> tuple[float | None, str]:
        """Power-law extrapolation from the last two scales (linear from one)."""
        points = self.points.get((step, engine), [])
        if not points:
            return None, ""
        if len(points) == 1:
            (n1, t1), exponent = points[-1], 1.0
            how = "linear from one scale"
        else:
            (n0, t0), (n1, t1) = points[-2], points[-1]
            exponent = max(1.0, math.log(max(t1, 1e-6) / max(t0, 1e-6)) / math.log(n1 / n0))
            how = f"power law n^{exponent:.2f} from the two previous scales"
        return t1 * (size / n1) ** exponent, how


def measure(pair, rounds: int) -> None:
    """Run each (figure, job) of a pair once per round, alternating engines in every round."""
    for _ in range(rounds):
        for figure, job in pair:
            if figure.skipped:
                continue
            started = time.perf_counter()
            result = job()
            figure.seconds.append(time.perf_counter() - started)
            if result:
                figure.result = result


def plan_rounds(figure: Figure, history: History, size: int, repeat: int, budget: float) -> int:
    """How many rounds fit in the budget; 0 (and the figure marked skipped) if not even one."""
    estimate, how = history.predict(figure.step, figure.engine, size)
    if estimate is None:
        return repeat
    if estimate > budget:
        figure.skipped = f"expected to take more than the {budget:.0f} s budget"
        figure.extrapolated = estimate
        figure.result = {"extrapolation": how}
        return 0
    return max(1, min(repeat, int(budget // max(estimate, 1e-3))))


# ---------------------------------------------------------------------------
# Steps
# ---------------------------------------------------------------------------

def turtle_files(root: Path) -> list:
    layout = Layout(root)
    return sorted(layout.ontology_dir.glob("*.ttl")) + sorted(layout.data_dir.glob("*.ttl"))


def parse_rdflib(files) -> dict:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return {"triples": len(graph)}


def parse_oxigraph(files) -> dict:
    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    return {"triples": len(store)}


def shacl_tdld(sources) -> dict:
    report = check(sources, "fast")
    return {"conforms": report.conforms, "violations": report.count()}


def shacl_pyshacl(asserted: Graph, shapes: Graph) -> dict:
    report = validate_graph(asserted, shapes)
    return {"conforms": report.conforms, "violations": report.count()}


def rudof_session(ntriples: str, shapes_text: str):
    session = pyrudof.Rudof(pyrudof.RudofConfig())
    session.read_data(ntriples, format=pyrudof.RDFFormat.NTriples)
    session.read_shacl(shapes_text)
    return session


def shacl_rudof(ntriples: str, shapes_text: str) -> dict:
    report = rudof_session(ntriples, shapes_text).validate_shacl()
    return {"conforms": report.conforms, "violations": len(report.violations)}


def copy_of(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, namespace in graph.namespaces():
        copy.bind(prefix, namespace)
    for triple in graph:
        copy.add(triple)
    return copy


def without_constraint(shapes: Graph, constraint) -> Graph:
    """A copy of the shapes graph with one sh:sparql constraint (and its description) removed."""
    copy = copy_of(shapes)
    copy.remove((None, SH.sparql, constraint))
    copy.remove((constraint, None, None))
    return copy


def rudof_runs(shapes: Graph, probe: str) -> bool:
    try:
        rudof_session(probe, shapes.serialize(format="turtle")).validate_shacl()
    except Exception:  # rudof raises several kinds; the question is only whether it runs
        return False
    return True


def shapes_rudof_accepts(shapes: Graph, probe: str) -> tuple[Graph, list]:
    """The shapes minus each SPARQL constraint that rudof cannot run on the probe data alone."""
    if rudof_runs(shapes, probe):
        return shapes, []
    constraints = sorted(shapes.subject_objects(SH.sparql))
    bare = shapes
    for _shape, constraint in constraints:
        bare = without_constraint(bare, constraint)
    accepted, dropped = shapes, []
    for shape, constraint in constraints:
        alone = copy_of(bare)
        alone.add((shape, SH.sparql, constraint))
        for triple in shapes.triples((constraint, None, None)):
            alone.add(triple)
        if not rudof_runs(alone, probe):
            accepted = without_constraint(accepted, constraint)
            dropped.append(shapes.namespace_manager.normalizeUri(shape))
    return accepted, dropped


def shipped_probe() -> str:
    """The shipped sources as N-Triples: small, yet with a focus node for every shape."""
    return load_sources().asserted().serialize(format="nt", encoding="utf-8").decode("utf-8")


def useful_new(closure, asserted: Graph) -> set:
    return {t for t in closure if t not in asserted and is_useful(t)}


def reason_owlrl(asserted: Graph) -> dict:
    """owlrl as tdld has always run it: a copy of the graph, expanded in place."""
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    useful = useful_new(closure, asserted)
    return {"useful_inferred": len(useful), "_triples": useful}


def reason_reasonable(asserted: Graph) -> dict:
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(asserted)
    useful = useful_new(reasoner.reason(), asserted)
    return {"useful_inferred": len(useful), "_triples": useful}


def reason_tdld(sources) -> dict:
    """The work of the build's reasoning process: the triples a rule can read, as rdflib terms (converted
    anew), then tdld.build.reason.useful_inferred with its default reasoner."""
    fresh = Sources(store=sources.store, shapes=sources.shapes)  # nothing converted yet
    triples, reasoner = useful_inferred(fresh.rule_input())
    return {"useful_inferred": len(triples), "reasoner": reasoner, "_triples": triples}


def rdflib_dataset(sources, inferred: Graph) -> Dataset:
    """The release's five named graphs in an rdflib Dataset, as the rdflib writers take them."""
    dataset = Dataset()
    bind_prefixes(dataset)
    for name in ASSERTED_LAYERS:
        target = dataset.graph(graph_iri(name))
        for triple in sources.graph(name):
            target.add(triple)
    target = dataset.graph(graph_iri("inferred"))
    for triple in inferred:
        target.add(triple)
    return dataset


def oxigraph_store(dataset: Dataset) -> ox.Store:
    store = ox.Store()
    for layer in ALL_LAYERS:
        data = dataset.graph(graph_iri(layer)).serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_iri(layer))))
    return store


RDFLIB_TRIPLE_FORMATS = (("ttl", "turtle", False), ("nt.gz", "nt", True), ("jsonld", "json-ld", False),
                         ("rdf", "xml", False))


def dumps_rdflib(dataset: Dataset, folder: Path) -> dict:
    """The ten dump files written by rdflib's serializers, as tdld wrote them before pyoxigraph."""
    sizes = []

    def write(name: str, data, gzipped: bool) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        raw = gzip.compress(raw, mtime=0) if gzipped else raw
        write_file(folder / name, raw)
        sizes.append(len(raw))

    for stem, layers in (("tdld", ASSERTED_LAYERS), ("tdld-full", ALL_LAYERS)):
        graph = Graph()
        bind_prefixes(graph)
        for layer in layers:
            for triple in dataset.graph(graph_iri(layer)):
                graph.add(triple)
        for extension, fmt, gzipped in RDFLIB_TRIPLE_FORMATS:
            options = {"context": dict(PREFIXES), "indent": 1, "auto_compact": True} if fmt == "json-ld" else {}
            write(f"{stem}.{extension}", graph.serialize(format=fmt, **options), gzipped)
    write("tdld.trig", dataset.serialize(format="trig"), False)
    write("tdld.nq.gz", dataset.serialize(format="nquads"), True)
    return {"files": len(sizes), "bytes": sum(sizes)}


def dumps_tdld(store: ox.Store, dataset: Dataset, folder: Path) -> dict:
    """tdld.release.dump.write_dumps as it stands, given the kind of dataset it takes."""
    try:
        files = write_dumps(store, folder)
    except (AttributeError, TypeError):
        files = write_dumps(dataset, folder)
    return {"files": len(files), "bytes": sum(f.size for f in files)}


OX_TRIPLE_FORMATS = (("ttl", ox.RdfFormat.TURTLE, False), ("nt.gz", ox.RdfFormat.N_TRIPLES, True),
                     ("jsonld", ox.RdfFormat.JSON_LD, False), ("rdf", ox.RdfFormat.RDF_XML, False))


def dumps_oxigraph(store: ox.Store, folder: Path) -> dict:
    """The same ten files as tdld's dumps, written by pyoxigraph."""
    sizes = []

    def write(name: str, raw: bytes, gzipped: bool) -> None:
        data = gzip.compress(raw, mtime=0) if gzipped else raw
        write_file(folder / name, data)
        sizes.append(len(data))

    for stem, layers in (("tdld", ASSERTED_LAYERS), ("tdld-full", ALL_LAYERS)):
        graphs = [ox.NamedNode(str(graph_iri(layer))) for layer in layers]
        triples = {ox.Triple(q.subject, q.predicate, q.object) for g in graphs for q in store.quads_for_pattern(None, None, None, g)}
        for extension, fmt, gzipped in OX_TRIPLE_FORMATS:
            write(f"{stem}.{extension}", ox.serialize(triples, format=fmt, prefixes=dict(PREFIXES)), gzipped)
    write("tdld.trig", store.dump(format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)), False)
    write("tdld.nq.gz", store.dump(format=ox.RdfFormat.N_QUADS), True)
    return {"files": len(sizes), "bytes": sum(sizes)}


def whole_build(root: Path) -> dict:
    """`tdld --root DIR build --force` in a child process, with the peak of its processes' memory summed.

    The build forks processes to reason and to validate beside it. Their resident memory is read
    from /proc every 0.05 s: the largest sum seen is a lower bound of the summed peak, the sum of
    each process's own peak (VmHWM) an upper bound. A forked child shares its parent's pages until
    either writes them, so the resident sizes count those pages twice; the proportional sizes (PSS,
    read every 0.25 s, as reading them costs more) count them once. (wait4's maximum is no use
    here: it counts the benchmark's own memory, which the child holds between fork and exec.)
    """
    command = [str(Path(sys.executable).parent / "tdld"), "--root", str(root), "build", "--force"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        summed, proportional, peaks, sample = 0, 0, {}, 0
        while process.poll() is None:
            now = 0
            tree = process_tree(process.pid)
            for pid in tree:
                now += status_kib(pid, "VmRSS")
                peaks[pid] = max(peaks.get(pid, 0), status_kib(pid, "VmHWM"))
            summed = max(summed, now)
            if sample % 5 == 0:
                proportional = max(proportional, sum(rollup_kib(pid, "Pss") for pid in tree))
            sample += 1
            time.sleep(0.05)
        log.seek(0)
        out = log.read().decode("utf-8", errors="replace")
    return {"exit": process.returncode, "summed_rss_seen_mib": round(summed / 1024, 1),
            "summed_pss_seen_mib": round(proportional / 1024, 1),
            "summed_own_peaks_mib": round(sum(peaks.values()) / 1024, 1),
            "output": out.strip().splitlines()[-1] if out.strip() else ""}


# ---------------------------------------------------------------------------
# One scale
# ---------------------------------------------------------------------------

def run_scale(asked: int, args, history: History, generator) -> Scale:
    scale = Scale(asked)
    repeat = args.repeat or (1 if asked >= LARGE else 3)
    with tempfile.TemporaryDirectory(prefix=f"tdld-bench-{asked}-") as temporary:
        root = Path(temporary) / "project"
        scale.generated = generator.write_project(root, asked, args.seed)
        sources = load_sources(Layout(root))
        asserted = sources.asserted()
        scale.asserted = len(asserted)
        size = scale.asserted
        say(f"\n== {asked:,} asked: {scale.generated:,} generated, {size:,} asserted triples in the project")
        if args.build_only:
            return measure_whole_build(scale, history, root, size, repeat, args.budget)

        files = turtle_files(root)
        run_step(scale, history, size, repeat, args.budget, "parse Turtle", [
            # The build's "loading sources" step: every source in a pyoxigraph store.
            ("tdld.build.load.load_sources", guarded(lambda: {"quads": len(load_sources(Layout(root)).store)}), ""),
            ("rdflib Graph.parse", lambda: parse_rdflib(files), ""),
            ("pyoxigraph Store.load", lambda: parse_oxigraph(files), ""),
        ])

        rudof_job = None
        if pyrudof is not None:
            ntriples = asserted.serialize(format="nt", encoding="utf-8").decode("utf-8")
            accepted, dropped = shapes_rudof_accepts(sources.shapes, shipped_probe())
            shapes_text = accepted.serialize(format="turtle")
            if dropped:
                scale.notes.append("pyrudof cannot run the SPARQL constraint of " + ", ".join(dropped)
                                   + " (query parse error); it validates the shapes without it")
            rudof_job = lambda: shacl_rudof(ntriples, shapes_text)  # noqa: E731
        run_step(scale, history, size, repeat, args.budget, "SHACL validation", [
            ("tdld.build.pipeline.check (fast)", guarded(lambda: shacl_tdld(sources)), ""),
            ("pyshacl", lambda: shacl_pyshacl(asserted, sources.shapes), ""),
            ("pyrudof", rudof_job, PYRUDOF_MISSING),
        ])

        owl = run_step(scale, history, size, repeat, args.budget, "OWL 2 RL closure", [
            ("tdld.build.reason.useful_inferred (its default)", guarded(lambda: reason_tdld(sources)), ""),
            ("owlrl", lambda: reason_owlrl(asserted), ""),
            ("reasonable", (lambda: reason_reasonable(asserted)) if reasonable else None, REASONABLE_MISSING),
        ])
        inferred = inferred_graph(owl[1:] + owl[:1])
        compare_closures(scale, owl)

        if inferred is not None:
            dataset = rdflib_dataset(sources, inferred)
            store = oxigraph_store(dataset)
            folders = [Path(temporary) / f"dumps-{n}" for n in ("tdld", "rdflib", "oxigraph")]
            for folder in folders:
                folder.mkdir()
            run_step(scale, history, size, repeat, args.budget, "write dumps (10 files)", [
                ("tdld.release.dump.write_dumps", guarded(lambda: dumps_tdld(store, dataset, folders[0])), ""),
                ("rdflib serializers", lambda: dumps_rdflib(dataset, folders[1]), ""),
                ("pyoxigraph serialize", lambda: dumps_oxigraph(store, folders[2]), ""),
            ])
        else:
            scale.notes.append("dumps not measured: no closure was computed at this scale")

        return measure_whole_build(scale, history, root, size, repeat, args.budget)


def measure_whole_build(scale: Scale, history: History, root: Path, size: int, repeat: int, budget: float) -> Scale:
    build = Figure("tdld build (subprocess)", "tdld")
    rounds = plan_rounds(build, history, size, repeat, budget)
    measure([(build, lambda: whole_build(root))], rounds)
    history.add(build, size)
    scale.figures.append(build)
    return scale


def run_step(scale, history, size, repeat, budget, step, engines) -> list:
    """Time several engines on one step, alternating them round by round; the last is the reference."""
    pair, wanted = [], {}
    for engine, job, missing in engines:
        figure = Figure(step, engine)
        if job is None:
            figure.skipped = missing or "not available"
        else:
            wanted[engine] = plan_rounds(figure, history, size, repeat, budget)
        pair.append((figure, job))
    say(f"   {step} ...")
    measure(pair, min(wanted.values(), default=0))
    for figure, job in pair:
        if not figure.skipped and len(figure.seconds) < wanted[figure.engine]:
            measure([(figure, job)], wanted[figure.engine] - len(figure.seconds))
    for figure, _job in pair:
        history.add(figure, size)
        scale.figures.append(figure)
    return [figure for figure, _job in pair]


def guarded(job):
    """A job whose failure is a figure (the error), not the end of the benchmark."""
    def run():
        try:
            return job()
        except Exception as error:  # the code under test is allowed to fail; we report how
            return {"error": f"{type(error).__name__}: {error}"[:200]}
    return run


def inferred_graph(owl_figures) -> Graph | None:
    """owlrl's useful inferred triples, or reasonable's when owlrl was skipped."""
    for figure in owl_figures:
        triples = figure.result.get("_triples")
        if triples is not None:
            graph = Graph()
            for triple in triples:
                graph.add(triple)
            return graph
    return None


def compare_closures(scale: Scale, owl_figures) -> None:
    """Do the reasoners find the same useful entailments as owlrl? Counted, then the sets dropped."""
    by_engine = {f.engine: f.result.get("_triples") for f in owl_figures}
    reference = by_engine.get("owlrl")
    for engine, triples in by_engine.items():
        if engine != "owlrl" and triples is not None and reference is not None:
            scale.notes.append(f"OWL RL agreement of {engine} with owlrl: {len(triples & reference):,} useful inferred "
                               f"triples in both, {len(reference - triples):,} only from owlrl, "
                               f"{len(triples - reference):,} only from {engine}")
            sample = sorted(reference - triples, key=str)[:3]
            if sample:
                scale.notes.append(f"  e.g. only from owlrl: {[tuple(t.n3() for t in x) for x in sample]}")
    for figure in owl_figures:
        figure.result = {k: v for k, v in figure.result.items() if not k.startswith("_")}


# ---------------------------------------------------------------------------
# How far pyrudof checks what pyshacl checks
# ---------------------------------------------------------------------------

def fixture_agreement(shapes: Graph) -> str:
    """Which of the repository's invalid shape fixtures each validator flags."""
    fixtures = sorted((HERE.parent / "tests" / "shapes" / "invalid").glob("*.ttl"))
    if pyrudof is None or not fixtures:
        return ""
    ontology = Graph().parse(HERE.parent / "ontology" / "ontology.ttl")
    accepted, _dropped = shapes_rudof_accepts(shapes, shipped_probe())
    shapes_text = accepted.serialize(format="turtle")
    missed = []
    for path in fixtures:
        data = Graph()
        for triple in ontology:
            data.add(triple)
        data.parse(path)
        flagged_by_rudof = not shacl_rudof(data.serialize(format="nt"), shapes_text)["conforms"]
        flagged_by_pyshacl = not validate_graph(data, shapes).conforms
        if flagged_by_pyshacl and not flagged_by_rudof:
            missed.append(path.stem)
    caught = len(fixtures) - len(missed)
    return (f"pyrudof flags {caught} of the {len(fixtures)} invalid fixtures of tests/shapes/invalid that pyshacl flags"
            + (f"; it misses: {', '.join(missed)}" if missed else ""))


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

def say(text: str) -> None:
    print(text, flush=True)


def seconds_text(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def result_text(result: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in result.items() if k != "output")


def table(scale: Scale) -> str:
    lines = [f"\n{scale.asked:,} triples asked: {scale.generated:,} generated, {scale.asserted:,} asserted in the project",
             f"{'step':<24} {'engine':<27} {'median':>10} {'runs':>4} {'ratio':>7}  result (ratio: time / the step's last engine)"]
    by_step: dict = {}
    for figure in scale.figures:
        by_step.setdefault(figure.step, []).append(figure)
    for step, figures in by_step.items():
        reference = figures[-1].median
        for i, figure in enumerate(figures):
            if figure.skipped:
                extra = (f"EXTRAPOLATED ~{seconds_text(figure.extrapolated)} ({figure.result.get('extrapolation', '')})"
                         if figure.extrapolated else "")
                lines.append(f"{step:<24} {figure.engine:<27} {'skipped':>10} {0:>4} {'':>7}  {figure.skipped}. {extra}")
                continue
            ratio_text = f"{figure.median / reference:.1f}x" if reference and i < len(figures) - 1 else "1x" if reference else ""
            lines.append(f"{step:<24} {figure.engine:<27} {seconds_text(figure.median):>10} "
                         f"{len(figure.seconds):>4} {ratio_text:>7}  {result_text(figure.result)}")
    lines += [f"  note: {note}" for note in scale.notes]
    return "\n".join(lines)


def environment() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            **{name: version_of(name) for name in ("rdflib", "pyoxigraph", "pyshacl", "owlrl", "pyrudof", "reasonable")}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,100000", help="comma-separated sizes of the generated data")
    parser.add_argument("--repeat", type=int, default=0, help="rounds per step (default: 3, or 1 from 1M triples)")
    parser.add_argument("--budget", type=float, default=600.0,
                        help="skip a step whose one run is expected to exceed this many seconds (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--build-only", action="store_true", help="time the whole `tdld build` only, not each step")
    args = parser.parse_args(argv)
    # rdflib logs a traceback for every ill-typed literal of the invalid fixtures; keep the table readable.
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    scales = sorted(int(s) for s in args.scales.split(",") if s.strip())
    env = environment()
    say("engines: " + ", ".join(f"{k} {v}" for k, v in env.items()))
    for name, missing in (("pyrudof", PYRUDOF_MISSING), ("reasonable", REASONABLE_MISSING)):
        if missing:
            say(f"{name}: {missing}")
    generator = load_generator()
    history = History()
    results = []
    for asked in scales:
        scale = run_scale(asked, args, history, generator)
        say(table(scale))
        results.append(scale)
    agreement = fixture_agreement(load_sources().shapes)
    if agreement:
        say("\n" + agreement)
    if args.json:
        document = {"environment": env, "fixture_agreement": agreement,
                    "scales": [asdict(s) for s in results]}
        Path(args.json).write_text(json.dumps(document, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
