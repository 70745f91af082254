"""An output folder belongs to one run at a time: a lock file while work is in progress.

:func:`claim_output` creates the folder if needed and the lock file ``.socialsim.lock``
(process id, host, command, start time) in it, refuses with one line when another live
process holds it, takes over a lock whose process is gone, and removes the lock when the
work ends, however it ends. An unusable path (a file, a folder that cannot be created or
written) is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import ExperimentError

LOCK_NAME = ".socialsim.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _holder(lock: Path) -> dict | None:
    try:
        info = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _describe(info: dict | None) -> str:
    if info is None:
        return "an unreadable lock"
    return (
        f"pid {info.get('pid')} on {info.get('host')}, {info.get('command')}, "
        f"since {info.get('started')}"
    )


@contextmanager
def claim_output(out: str | Path, option: str = "--out", command: str = "run") -> Iterator[Path]:
    """Hold ``out`` for the duration of the block (see the module doc).

    Raises :class:`ExperimentError` naming ``option`` and the path when ``out`` is a file,
    cannot be created or written, or is held by another live process.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ExperimentError(f"{option} {out}: is a file, not a directory")
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExperimentError(
            f"{option} {out}: cannot create the directory ({exc.strerror or exc})"
        ) from None
    lock = out / LOCK_NAME
    me = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": f"socialsim {command}",
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            info = _holder(lock)
            stale = (
                info is not None
                and info.get("host") == me["host"]
                and isinstance(info.get("pid"), int)
                and not _alive(info["pid"])
            )
            if not stale:
                raise ExperimentError(
                    f"{option} {out} is in use by another socialsim run ({_describe(info)}): "
                    f"wait for it to finish or choose another {option}; if that process is "
                    f"gone, delete {lock}"
                ) from None
            lock.unlink(missing_ok=True)  # its process is gone: take over
            continue
        except OSError as exc:
            if created:
                _remove_empty(out)
            raise ExperimentError(
                f"{option} {out}: cannot write there ({exc.strerror or exc})"
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        break
    try:
        yield out
    finally:
        if (_holder(lock) or {}).get("pid") == me["pid"]:
            lock.unlink(missing_ok=True)
        if created:  # nothing was written (e.g. a bad --scheduler): leave no empty folder
            _remove_empty(out)


def _remove_empty(path: Path) -> None:
    with suppress(OSError):
        path.rmdir()
