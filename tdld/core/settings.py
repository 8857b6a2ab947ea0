"""Every setting of the server in one registry: name, default, bounds, help.

``tdld serve`` makes one option of each (``--sparql-timeout`` for ``sparql_timeout``), so that no
default is written twice; docs/cli.md lists them all.
"""

from dataclasses import dataclass, field

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


@dataclass(frozen=True)
class Settings:
    base: str = field(default="https://w3id.org/territorial-diplomacy/",
                      metadata={"help": "IRI base mapped onto the server's paths"})
    sparql_timeout: float = field(default=10.0, metadata={"above": 0, "help": "seconds a SPARQL query may run before it is stopped"})
    sparql_workers: int = field(default=2, metadata={"minimum": 1, "help": "worker processes evaluating SPARQL queries (bounded concurrency)"})
    sparql_memory_quads: int = field(default=500_000, metadata={"minimum": 0, "help": "query workers read a release of at most this many quads from memory (lookups and joins 1.5-3x faster, whole-index scans 10-30 % slower; about 0.45 KB a quad, held once per server); 0: always read from disk"})
    sparql_queue_timeout: float = field(default=5.0, metadata={"above": 0, "help": "seconds a query waits for a free worker before 503"})
    sparql_max_results: int = field(default=10_000, metadata={"minimum": 1, "help": "most result rows or triples a query may return"})
    sparql_max_length: int = field(default=20_000, metadata={"minimum": 1, "help": "longest query text accepted, in characters"})
    cache_mb: float = field(default=64.0, metadata={"minimum": 0, "help": "memory per server process for finished answers, kept until the next build (0: off)"})
    rate_limit: float = field(default=0.0, metadata={"minimum": 0, "help": "requests per minute per client address; 0 turns limiting off"})
    rate_limit_loopback: bool = field(default=False, metadata={"help": "also limit clients on 127.0.0.1/::1 (off so local tools and tests run freely)"})
    trusted_proxies: int = field(default=0, metadata={"minimum": 0, "help": "reverse proxies in front whose X-Forwarded-For is trusted (0: none)"})
    service_allowlist: tuple = field(default=(WIKIDATA_SPARQL,),
                                     metadata={"help": "SPARQL endpoints that SERVICE may call (comma-separated; empty for none)"})
    store: str = field(default="embedded",
                       metadata={"help": "where the data is read: 'embedded' (pyoxigraph in each process) or the URL of "
                                         "a SPARQL 1.1 query endpoint loaded by 'tdld publish'"})
    store_timeout: float = field(default=30.0, metadata={"above": 0, "help": "seconds a request to a remote store may take (pages, not /sparql)"})
