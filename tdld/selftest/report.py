"""Check results and their two renderings: a line per check for people, JSON for monitors."""

import json
from dataclasses import dataclass

PASS, FAIL, SKIP = "pass", "fail", "skip"
NOT_STATIC = "not promised by static hosting"


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str = ""


def passed(name: str, detail: str = "") -> Check:
    return Check(name, PASS, detail)


def failed(name: str, detail: str) -> Check:
    return Check(name, FAIL, detail)


def skipped(name: str, detail: str) -> Check:
    return Check(name, SKIP, detail)


def verdict(name: str, problems: list[str], success: str) -> Check:
    """Pass with ``success`` when there is no problem, else fail naming the first few."""
    if not problems:
        return passed(name, success)
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    return failed(name, "; ".join(problems[:3]) + more)


@dataclass
class Report:
    url: str
    checks: list

    def count(self, status: str) -> int:
        return sum(1 for c in self.checks if c.status == status)

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, 1 otherwise (2, unreachable, never gets a report)."""
        return 1 if self.count(FAIL) else 0

    def as_dict(self) -> dict:
        return {"url": self.url, "passed": self.count(PASS), "failed": self.count(FAIL),
                "skipped": self.count(SKIP),
                "checks": [{"name": c.name, "status": c.status, "detail": c.detail} for c in self.checks]}


def render_text(report: Report) -> str:
    width = max((len(c.name) for c in report.checks), default=0)
    lines = [f"{c.status.upper():<4}  {c.name:<{width}}  {_one_line(c.detail)}".rstrip() for c in report.checks]
    lines.append(f"{report.url}: {report.count(PASS)} passed, {report.count(FAIL)} failed, "
                 f"{report.count(SKIP)} skipped")
    return "\n".join(lines)


def render_json(report: Report) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())
