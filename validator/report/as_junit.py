"""JUnit XML of a contract-test run: one testsuite per operation, one testcase per check."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from ..verify.checks import CHECK_NAMES
from ..verify.result import Failure, RunReport


def class_name(report: RunReport, operation: str) -> str:
    """``contract@1_1_0.operation``: CI tools split class names at dots, so none come from versions or paths."""
    return f"{report.contract.replace('.', '_')}.{operation.replace('.', '_')}"


def render_junit(report: RunReport) -> str:
    """The report as a JUnit XML document (what CI systems display as test results)."""
    root = ET.Element(
        "testsuites",
        name=f"contracts test {report.contract}",
        tests=str(0),
        failures=str(len(report.failures)),
        time=f"{report.duration_s:.3f}",
    )
    by_key: dict[tuple[str, str], list[Failure]] = {}
    for f in report.failures:
        by_key.setdefault((f.operation, f.check), []).append(f)
    total = 0
    for coverage in report.coverage:
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"{report.contract} {coverage.operation}",
            tests=str(len(CHECK_NAMES)),
            failures="0",
            errors="0",
            skipped="0",
        )
        failed = 0
        for check in CHECK_NAMES:
            total += 1
            case = ET.SubElement(suite, "testcase", name=check, classname=class_name(report, coverage.operation))
            found = by_key.get((coverage.operation, check))
            if not found:
                continue
            failed += 1
            message = found[0].message if len(found) == 1 else f"{len(found)} distinct findings: {found[0].message}"
            node = ET.SubElement(case, "failure", message=message, type=check)
            node.text = "\n\n".join(
                "\n".join(
                    [
                        failure.message,
                        f"case: {failure.case} (seen {failure.occurrences}x)",
                        f"reproduce: {failure.curl}",
                        "request: " + json.dumps(failure.request, ensure_ascii=False, default=str),
                        "response: " + json.dumps(failure.response, ensure_ascii=False, default=str),
                    ]
                )
                for failure in found
            )
        suite.set("failures", str(failed))
    root.set("tests", str(total))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
