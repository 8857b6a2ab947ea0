"""The SPARQL 1.1 endpoint: request parsing, query checks, isolated evaluation, results."""
