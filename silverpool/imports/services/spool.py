"""The rows the check read, kept for the run: the run writes exactly what the preview
counted, without reading the file again.

Reading a row (parsing its cells, validating the fields) costs as much as writing it; the
check has done it once, so the run only writes, and needs neither the workbook in memory
nor a second core for reading. The spool lies next to the upload and goes with it
(`discard_upload`).

Each chunk of rows is stored as a pickle, compressed, behind an HMAC of the server's secret key:
a spool changed on disk is refused, not unpickled.
"""

import hmac
import pickle
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.utils.crypto import salted_hmac

from ..models import ImportJob
from .rowstream import Batch

SALT = "silverpool.imports.spool"
# A record: the HMAC (32 bytes), the length of the data (8 bytes), the data.
HEADER = struct.Struct(">32sQ")


class SpoolMissing(Exception):
    """The checked rows are not there (deleted, damaged or changed on disk)."""


def spool_path(job: ImportJob) -> Path:
    return Path(f"{job.file.path}.checked")


def _mac(job: ImportJob, data: bytes) -> bytes:
    # The job's id in the salt: a chunk copied from another job's spool is refused too.
    return salted_hmac(f"{SALT}:{job.pk}", data, algorithm="sha256").digest()


class SpoolWriter:
    """Writes a check's chunks to a temporary file of its own that `keep` puts in place:
    a check that dies midway leaves the previous spool (or none), never half of one, and
    two checks of one job (the mapping changed meanwhile) do not write into each other."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.path = spool_path(job)
        self.file = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open)
            dir=self.path.parent, prefix=f"{self.path.name}.", suffix=".partial", delete=False
        )
        self.partial = Path(self.file.name)

    def add(self, chunk: Batch) -> None:
        # Level 1: a third of the size for a few milliseconds a chunk.
        data = zlib.compress(pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.file.write(HEADER.pack(_mac(self.job, data), len(data)))
        self.file.write(data)

    def keep(self) -> None:
        self.file.close()
        self.partial.replace(self.path)

    def discard(self) -> None:
        """Throw away what was written, unless it was kept."""
        self.file.close()
        self.partial.unlink(missing_ok=True)


def spooled_chunks(job: ImportJob, skip: int = 0) -> Iterator[Batch]:
    """The checked chunks after the first `skip` data rows (a resumed run's committed
    ones). Raises SpoolMissing if they are gone or were changed on disk."""
    try:
        file = spool_path(job).open("rb")
    except FileNotFoundError:
        raise SpoolMissing from None
    with file:
        while header := file.read(HEADER.size):
            if len(header) < HEADER.size:
                raise SpoolMissing
            mac, length = HEADER.unpack(header)
            data = file.read(length)
            if len(data) < length or not hmac.compare_digest(mac, _mac(job, data)):
                raise SpoolMissing
            chunk: Batch = pickle.loads(zlib.decompress(data))  # noqa: S301 (signed above)
            if chunk.start >= skip:
                yield chunk


def discard_upload(job: ImportJob) -> None:
    """Delete the upload and its checked rows (personal data both), including what a
    check that died left half-written."""
    if job.file:
        path = Path(job.file.path)
        for spooled in path.parent.glob(f"{path.name}.*"):
            spooled.unlink(missing_ok=True)
    job.file.delete(save=False)
