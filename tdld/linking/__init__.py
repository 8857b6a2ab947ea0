"""Proposing and checking Wikidata mappings (``tdld link``).

The flow, one module per job:

- ``workflow`` picks the resources that still lack a reviewed Wikidata mapping and their labels;
- ``candidates`` writes the batched label-lookup SPARQL and parses its JSON results (pure);
- ``client`` asks the endpoint over HTTP, politely, with a file cache (the only network code);
- ``score`` rates each candidate and chooses the mapping predicate (pure);
- ``table`` merges the proposals into a reviewable SSSOM TSV without touching reviewed rows;
- ``cli`` adds the ``link`` verb to ``tdld``.

Nothing here publishes a mapping: proposals have an empty ``reviewer_label``, and only rows a
curator has reviewed are compiled into the build (``tdld.build.sssom``).
"""
