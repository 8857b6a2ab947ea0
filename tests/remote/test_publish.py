"""How publishing slices a graph into requests the store accepts."""

from tdld.remote.publish import chunks


def test_chunks_cover_every_triple_once_and_an_empty_graph_is_one_request():
    items = list(range(4500))
    parts = chunks(items, 2000)
    assert [len(p) for p in parts] == [2000, 2000, 500] and sum(parts, []) == items
    assert chunks([], 2000) == [[]]
