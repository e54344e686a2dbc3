"""A run as PDFs: the report (the landing page) and an appendix of the notebooks' reader pages.

Chromium (Debian's ``chromium``; ``$CITY_INNOVATION_CHROMIUM`` names another) prints each page
headless, with page numbers from the pages' ``@page`` rules; pypdf joins the files in order.
Nothing is downloaded at run time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import ReportError

BROWSER_ENV = "CITY_INNOVATION_CHROMIUM"
DEFAULT_BROWSER = "/usr/bin/chromium"
#: The reader's PDF: the landing page (findings, key figures, sources, notebooks).
PDF_FILE = "report.pdf"
#: The appendix: every notebook's reader page in full.
APPENDIX_FILE = "notebooks.pdf"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer")


def browser() -> str:
    """The Chromium to print with; a one-line error naming it when it is absent."""
    path = os.environ.get(BROWSER_ENV) or DEFAULT_BROWSER
    found = shutil.which(path)
    if not found:
        raise ReportError(f"--format pdf needs Chromium: {path} not found (install Debian's "
                          f"chromium, or set {BROWSER_ENV} to its path)")
    return found


def print_pages(pages: Sequence[Path], target: Path, timeout: float = 180.0) -> Path:
    """Print ``pages`` (HTML files) in order into one PDF at ``target``."""
    from pypdf import PdfWriter

    exe = browser()
    writer = PdfWriter()
    with tempfile.TemporaryDirectory(prefix="city-innovation-pdf-") as tmp:
        for i, page in enumerate(pages):
            out = Path(tmp) / f"{i:03d}.pdf"
            profile = Path(tmp) / f"profile-{i}"
            proc = subprocess.run(
                [exe, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                 page.resolve().as_uri()],
                capture_output=True, text=True, timeout=timeout, check=False)
            if proc.returncode != 0 or not out.is_file():
                raise ReportError(f"--format pdf: {exe} could not print {page.name} "
                                  f"(exit code {proc.returncode})")
            writer.append(str(out))
        with target.open("wb") as fh:
            writer.write(fh)
    return target
