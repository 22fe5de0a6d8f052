"""PDF next to each DOCX (`prikaz build --pdf`), converted by LibreOffice headless.

LibreOffice runs with a profile of its own in a temporary folder: it neither sees
nor locks the profile of a person's running LibreOffice, and parallel builds do not
collide. Without LibreOffice the DOCX are still written and the build says how to
install it (a warning, see `libreoffice_missing`).

LibreOffice stamps each PDF with the wall clock and a random file id; both are
replaced, byte for byte in place (the cross-reference offsets stay valid), by the
build time and a digest of the content, so PDFs are as reproducible as the DOCX.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from engine.diagnostics import Diagnostic, Severity
from engine.render import RenderError

CONVERSION_TIMEOUT_S = 300
_INSTALL_HINT = ("установите LibreOffice Writer: sudo apt-get install --no-install-recommends libreoffice-writer "
                 "fonts-liberation (Debian/Ubuntu) или с libreoffice.org; DOCX созданы без PDF")


_CREATION_DATE = re.compile(rb"/CreationDate\(D:\d{14}")
_FILE_ID = re.compile(rb"/ID \[ ?<([0-9A-F]{32})>\s*<([0-9A-F]{32})> ?\]")
_CHECKSUM = re.compile(rb"/DocChecksum /[0-9A-F]{32}")


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_missing() -> Diagnostic | None:
    """The warning for `--pdf` on a machine without LibreOffice; None when it is installed."""
    if libreoffice():
        return None
    return Diagnostic("D201", Severity.WARNING, "PDF не созданы: LibreOffice (soffice) не найден", None,
                      _INSTALL_HINT, "pdf-unavailable")


def _conversion_failed(message: str) -> RenderError:
    return RenderError([Diagnostic("D202", Severity.ERROR, f"LibreOffice не смог создать PDF: {message}", None,
                                   "попробуйте открыть DOCX в LibreOffice вручную; прежние документы сохранены",
                                   "pdf-failed")])


def _reproducible(pdf: bytes, moment: dt.datetime) -> bytes:
    """Build time for the creation date, a content digest for the file id and checksum — same lengths as before."""
    stamp = moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S").encode()
    pdf = _CREATION_DATE.sub(b"/CreationDate(D:" + stamp, pdf)
    digest = hashlib.md5(_FILE_ID.sub(b"", _CHECKSUM.sub(b"", pdf))).hexdigest().upper().encode()
    pdf = _CHECKSUM.sub(b"/DocChecksum /" + digest, pdf)
    return _FILE_ID.sub(lambda match: match.group(0).replace(match.group(1), digest).replace(match.group(2), digest),
                        pdf)


def to_pdf(documents: dict[str, bytes], moment: dt.datetime) -> dict[str, bytes]:
    """{«x.docx»: bytes} → {«x.pdf»: bytes}, all in one LibreOffice run."""
    soffice = libreoffice()
    if soffice is None or not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="prikaz-pdf-") as work:
        folder = Path(work)
        sources, output, profile = folder / "docx", folder / "pdf", folder / "profile"
        sources.mkdir()
        for name, data in documents.items():
            (sources / Path(name).name).write_bytes(data)
        command = [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(output), *sorted(str(p) for p in sources.iterdir())]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=CONVERSION_TIMEOUT_S, check=False,
                                    env=dict(os.environ, TZ="UTC"))      # the creation date LibreOffice writes is UTC
        except subprocess.TimeoutExpired:
            raise _conversion_failed(f"не уложился в {CONVERSION_TIMEOUT_S} с") from None
        converted = {}
        for name in documents:
            pdf = output / Path(name).with_suffix(".pdf").name
            if not pdf.is_file():
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise _conversion_failed(f"нет файла {pdf.name} (код {result.returncode}"
                                         f"{': ' + detail[-1] if detail else ''})")
            converted[str(Path(name).with_suffix(".pdf"))] = _reproducible(pdf.read_bytes(), moment)
        return converted
