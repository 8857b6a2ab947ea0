"""Catalogue and download checks as pure functions over what was fetched.

Every advertised dump must download, have the size VoID states, hash to the SHA-256
that both VoID and SHA256SUMS publish, and parse as its stated media type.
"""

import re
from dataclasses import dataclass

from .dcat import Catalogue, Distribution
from .fetch import Answer
from .formats import Unparsable, count_statements, gunzip
from .report import NOT_STATIC, Check, failed, passed, skipped, verdict

SUMS_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


@dataclass
class Download:
    """A dump fetched by streaming: its answer (without body), its hash, and its bytes if small enough."""

    distribution: Distribution
    answer: Answer | None  # None when the URL is off the deployment and was not fetched
    sha256: str = ""
    data: bytes | None = None


def parse_sums(text: str) -> tuple[dict, list[str]]:
    """``sha256sum`` lines → {name: hex}, and the lines that are not such lines."""
    sums, bad = {}, []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = SUMS_LINE.match(line)
        if match:
            sums[match.group(2).strip()] = match.group(1).lower()
        else:
            bad.append(line[:60])
    return sums, bad


def sums_check(answer: Answer | None, catalogue: Catalogue) -> tuple[Check, dict | None]:
    """SHA256SUMS beside the dumps lists each of them with the checksum VoID states."""
    if answer is None:
        return skipped("sha256sums", "no dump on the deployment to look beside"), None
    if answer.status != 200:
        return failed("sha256sums", f"{answer.url} answered {answer.describe()}"), None
    sums, bad = parse_sums(answer.body.decode("utf-8", errors="replace"))
    problems = [f"not a checksum line: {line!r}" for line in bad]
    for dist in catalogue.distributions:
        if dist.name not in sums:
            problems.append(f"{dist.name} not listed")
        elif dist.sha256 and sums[dist.name] != dist.sha256:
            problems.append(f"{dist.name}: SHA256SUMS says {sums[dist.name][:12]}…, VoID {dist.sha256[:12]}…")
    return verdict("sha256sums", problems, f"{len(sums)} checksums, agreeing with VoID"), sums


def dump_check(download: Download, sums: dict | None, parse_cap: int) -> Check:
    """One download: fetched whole, of the stated size, hashing to the published SHA-256, parsing as stated."""
    dist = download.distribution
    name = f"dump {dist.name}"
    answer = download.answer
    if answer is None:
        return skipped(name, f"{dist.download_url} is not on the deployment; not fetched")
    if answer.status != 200:
        return failed(name, f"{answer.url} answered {answer.describe()}")
    if answer.truncated:
        return failed(name, f"{answer.url}: larger than the cap; not hashed")
    problems = []
    if dist.byte_size is not None and dist.byte_size != answer.size:
        problems.append(f"{answer.size} bytes, VoID states {dist.byte_size}")
    if dist.sha256 and download.sha256 != dist.sha256:
        problems.append(f"SHA-256 {download.sha256[:12]}… differs from VoID's {dist.sha256[:12]}…")
    if sums is not None and dist.name in sums and sums[dist.name] != download.sha256:
        problems.append(f"SHA-256 {download.sha256[:12]}… differs from SHA256SUMS ({sums[dist.name][:12]}…)")
    parsed = _parse(download, parse_cap)
    if isinstance(parsed, Unparsable):
        problems.append(str(parsed))
    if problems:
        return failed(name, "; ".join(problems))
    published = "VoID and SHA256SUMS" if sums and dist.name in sums else "VoID"
    return passed(name, f"{answer.size} bytes, SHA-256 matches {published}; {parsed}")


def _parse(download: Download, cap: int):
    """'N statements as TYPE', 'not parsed (...)', or the Unparsable error."""
    dist = download.distribution
    if download.data is None:
        return f"not parsed (over {cap} bytes)"
    try:
        data = gunzip(download.data, cap) if dist.gzipped else download.data
        count = count_statements(data, dist.media_type)
    except Unparsable as error:
        return error
    if not count:
        return Unparsable(f"no statement as {dist.media_type}")
    return f"{count} statements as {dist.media_type}" + (" (gzipped)" if dist.gzipped else "")


RANGE = (10, 49)  # the bytes a resumed download asks for


def resumable_check(download: Download | None, part: Answer | None, again: Answer | None) -> Check:
    """A dump can be resumed (Range: 206 with exactly the bytes asked), revalidated (ETag, then 304)
    and is offered for saving under its name (Content-Disposition: attachment)."""
    name = "dump-resumable"
    if download is None or part is None or download.data is None:
        return skipped(name, "no dump small enough to compare a part with")
    first, last = RANGE
    problems = []
    if part.status != 206:
        problems.append(f"a Range request got {part.describe()}, not 206")
    elif part.body != download.data[first:last + 1]:
        problems.append("the part sent is not the bytes asked for")
    elif not part.header("content-range").startswith(f"bytes {first}-{last}/"):
        problems.append(f"Content-Range is {part.header('content-range') or 'missing'}")
    if not download.answer.header("etag"):
        problems.append("no ETag")
    elif again is None or again.status != 304:
        problems.append(f"If-None-Match with its ETag got {again.describe() if again else 'nothing'}, not 304")
    if "attachment" not in download.answer.header("content-disposition"):
        problems.append("no Content-Disposition: attachment")
    return verdict(name, problems, f"{download.distribution.name}: Range → 206, ETag → 304, saved as an attachment")


def media_types_check(downloads: list[Download], static: bool) -> Check:
    """A server labels each download with the media type VoID states (application/gzip when compressed)."""
    if static:
        return skipped("dump-content-types", f"{NOT_STATIC}: the generated rules type pages, not every download")
    fetched = [d for d in downloads if d.answer is not None and d.answer.status == 200]
    if not fetched:
        return skipped("dump-content-types", "no dump fetched")
    problems = []
    for download in fetched:
        dist = download.distribution
        expected = "application/gzip" if dist.gzipped else dist.media_type
        if download.answer.media_type != expected:
            problems.append(f"{dist.name}: Content-Type {download.answer.media_type or '(none)'}, expected {expected}")
    return verdict("dump-content-types", problems, f"{len(fetched)} downloads typed as VoID states")


def void_found_check(chain: list[Answer], graph_size: int, root: str, error: str = "", fallback: bool = False) -> Check:
    """The description at /.well-known/void (a 303 to the dataset's document)."""
    final = chain[-1]
    path = " → ".join(f"{a.status or 'no answer'}" for a in chain)
    if error or final.status != 200:
        instead = "; the other checks read /download/void.ttl instead" if fallback else ""
        return failed("void-found", f"/.well-known/void: {path}{': ' + error if error else ''}{instead}")
    where = final.url.removeprefix(root)
    return passed("void-found", f"/.well-known/void → {where} ({final.media_type}, {graph_size} triples)")
