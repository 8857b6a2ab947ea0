"""A bare reference endpoint: Flask and pyoxigraph in one process, and nothing else.

No time limit, no result limit, no query checks, no cache, no logging: each request is
evaluated in the web process on the release's on-disk store. It is what tdld would be
without the features a public endpoint needs, so the gap between the two is their cost,
and the gap between this and Oxigraph's server is the engine's.

    cd bench && TDLD_BARE_STORE=../build/current/store granian --interface wsgi --workers 2 bare_endpoint:app

Never serve it publicly: one query can hold a worker for ever.
"""

import os

import pyoxigraph as ox
from flask import Flask, Response, request

store = ox.Store.read_only(os.environ["TDLD_BARE_STORE"])
app = Flask(__name__)


@app.get("/query")
def query() -> Response:
    results = store.query(request.args["query"], use_default_graph_as_union=True)
    if isinstance(results, ox.QueryTriples):
        return Response(ox.serialize(results, format=ox.RdfFormat.TURTLE), content_type="text/turtle")
    return Response(results.serialize(format=ox.QueryResultsFormat.JSON),
                    content_type="application/sparql-results+json")
