"""Read the sources into one rdflib Dataset with a named graph per layer."""

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from .errors import SourceError
from .layout import Layout
from .namespaces import bind_prefixes, graph_iri
from .sssom import read_sssom


@dataclass
class Sources:
    """The asserted knowledge base, split by layer, plus the shapes that judge it."""

    dataset: Dataset
    shapes: Graph
    files: list[Path] = field(default_factory=list)
    _asserted: Graph | None = field(default=None, repr=False)

    def graph(self, name: str) -> Graph:
        return self.dataset.graph(graph_iri(name))

    def asserted(self) -> Graph:
        """Every asserted triple in one graph (the union of the layers), built once.

        Callers read it; whoever needs more triples (the closure) works on a copy.
        """
        if self._asserted is None:
            union = Graph()
            bind_prefixes(union)
            for name in ("ontology", "vocabulary", "data", "mappings"):
                for triple in self.graph(name):
                    union.add(triple)
            self._asserted = union
        return self._asserted


def parse_turtle(path: Path, into: Graph) -> None:
    """Parse one Turtle file, turning any failure into one line naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found") from None
    except UnicodeDecodeError as error:
        raise SourceError(f"{path}: not UTF-8 ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read ({error.strerror})") from None
    try:
        into.parse(data=text, format="turtle", publicID=path.as_uri())
    except BadSyntax as error:
        line = error._str.count("\n", 0, error._i) + 1 if isinstance(error._str, str) else error.lines + 1
        raise SourceError(f"{path}:{line}: Turtle syntax error: {error._why}") from None
    except Exception as error:  # rdflib raises many kinds for bad terms
        raise SourceError(f"{path}: Turtle error: {error}") from None


def _turtle_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise SourceError(f"{folder}: folder not found")
    return sorted(folder.glob("*.ttl"))


def layer_of(path: Path, layout: Layout) -> str:
    """Which named graph a source file feeds."""
    if path.parent == layout.ontology_dir:
        return "vocabulary" if path.stem.startswith("vocabulary") else "ontology"
    return "data"


def load_sources(layout: Layout | None = None, extra_data: list[Path] = ()) -> Sources:
    """Load ontology, vocabulary, data, mappings and shapes; raise SourceError on any defect."""
    layout = layout or Layout()
    dataset = Dataset()
    bind_prefixes(dataset)
    files: list[Path] = []
    for path in _turtle_files(layout.ontology_dir) + _turtle_files(layout.data_dir) + list(extra_data):
        parse_turtle(path, dataset.graph(graph_iri(layer_of(path, layout))))
        files.append(path)
    mappings = dataset.graph(graph_iri("mappings"))
    if layout.mappings_dir.is_dir():
        for path in sorted(layout.mappings_dir.glob("*.sssom.tsv")):
            read_sssom(path, mappings)
            files.append(path)
    shapes = Graph()
    for path in _turtle_files(layout.shapes_dir):
        parse_turtle(path, shapes)
        files.append(path)
    return Sources(dataset=dataset, shapes=shapes, files=files)
