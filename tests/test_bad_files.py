"""Unusable files and folders get one line and exit 2: experiment files that cannot be read,
output folders that cannot be written or are in use, graph files that cannot be used."""

from __future__ import annotations

import os

import pytest

from socialsim.cli import main

BASE = "steps = 5\nreplications = 1\ngraph = { n = 60, m = 2 }\n"


# unusable files and output folders


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("binary_file", lambda d: _write(d / "x.toml", b"\x89PNG\r\n\x1a\n\x00"), "not a text"),
        ("random_bytes", lambda d: _write(d / "x.toml", os.urandom(2000)), "x.toml"),
        ("directory", lambda d: (d / "dir.toml").mkdir() or d / "dir.toml", "is a directory"),
        ("missing", lambda d: d / "nope.toml", "not found"),
        ("not_toml", lambda d: _write(d / "x.toml", b"steps = = 3"), "not valid TOML"),
    ],
)
@pytest.mark.parametrize("command", ["run", "validate"])
def test_unusable_experiment_files(name, make, expected, command, tmp_path, capsys):
    path = make(tmp_path)
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command == "run" else []
    assert main([command, str(path), *extra]) == 2
    err = capsys.readouterr().err
    assert expected in err and str(path.name) in err and "Traceback" not in err, err
    assert not out.exists()


def _tiny_file(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(BASE)
    return path


def test_out_that_is_a_file_or_cannot_be_created(tmp_path, capsys):
    cfg = _tiny_file(tmp_path)
    afile = tmp_path / "afile"
    afile.write_text("keep me")
    for command in (["run", str(cfg)], ["demo"]):
        assert main([*command, "--out", str(afile)]) == 2
        err = capsys.readouterr().err
        assert f"--out {afile}: is a file" in err and "Traceback" not in err
    assert afile.read_text() == "keep me"
    assert main(["run", str(cfg), "--out", "/proc/socialsim/out"]) == 2
    assert "cannot create the directory" in capsys.readouterr().err


def test_a_folder_in_use_is_refused_and_left_alone(tmp_path, capsys):
    cfg = _tiny_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".socialsim.lock"
    import json
    import socket

    holder = {"pid": os.getpid(), "host": socket.gethostname(), "command": "socialsim run"}
    lock.write_text(json.dumps({**holder, "started": "2026-11-30T10:00:00"}))
    assert main(["run", str(cfg), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"pid {os.getpid()}" in err and "in use" in err
    assert sorted(p.name for p in out.iterdir()) == [".socialsim.lock"]
    # a lock whose process is gone is taken over, and removed when the run ends
    lock.write_text(json.dumps({**holder, "pid": 2**22 + 12345, "started": "earlier"}))
    assert main(["run", str(cfg), "--out", str(out), "-q"]) == 0
    assert not lock.exists() and (out / "manifest.json").is_file()


def test_empty_file_says_it_is_the_default_model(tmp_path, capsys):
    path = tmp_path / "empty.toml"
    path.write_text("")
    assert main(["validate", str(path)]) == 0
    assert "sets nothing" in capsys.readouterr().err


def test_odd_file_names_give_a_usable_experiment_name(tmp_path, capsys):
    path = tmp_path / "my experiment (v2).toml"
    path.write_text(BASE)
    assert main(["validate", str(path)]) == 0
    assert "valid experiment 'my_experiment_v2'" in capsys.readouterr().out


# graph files: validate reads them as run does (one reader), with warnings


GRAPH_FILES = [
    ("one_node", b"7 7\n", "no edges besides self-loops"),
    ("self_loops_only", b"1 1\n2 2\n", "no edges besides self-loops"),
    ("one_label", b"hello\n", "line 1: expected two node labels"),
    ("prose", b"# notes\nlorem ipsum dolor sit amet\n", "line 2: expected two node labels"),
    ("binary", b"\x00\x89\xff\xfe" * 10, "not a text file"),
    ("empty", b"", "no edges"),
]


@pytest.mark.parametrize(("name", "data", "expected"), GRAPH_FILES, ids=[g[0] for g in GRAPH_FILES])
@pytest.mark.parametrize("command", ["validate", "run"])
def test_unusable_graph_files(name, data, expected, command, tmp_path, capsys):
    graph = tmp_path / "graph.txt"
    graph.write_bytes(data)
    cfg = tmp_path / "g.toml"
    cfg.write_text(f'steps = 3\n[graph]\nkind = "file"\npath = "{graph}"\n')
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command == "run" else []
    assert main([command, str(cfg), *extra]) == 2
    err = capsys.readouterr().err
    assert f"graph.path = '{graph}'" in err and expected in err and "Traceback" not in err, err
    assert not out.exists()


def test_graph_directory_is_named_as_such(tmp_path, capsys):
    cfg = tmp_path / "g.toml"
    cfg.write_text(f'steps = 3\n[graph]\nkind = "file"\npath = "{tmp_path}"\n')
    assert main(["validate", str(cfg)]) == 2
    assert "is a directory, not an edge-list file" in capsys.readouterr().err


def test_weighted_directed_csv_list_is_read_with_warnings(tmp_path, capsys):
    graph = tmp_path / "edges.csv"
    graph.write_text("source,target,weight\n1,2,0.5\n2,1,0.5\n2,3,1\n2,3,1\n3,3,1\n3,4,2\n")
    cfg = tmp_path / "g.toml"
    cfg.write_text(f'steps = 3\n[graph]\nkind = "file"\npath = "{graph}"\n')
    for command in (["validate", str(cfg)], ["run", str(cfg), "--out", str(tmp_path / "o"), "-q"]):
        assert main(command) == 0
        err = capsys.readouterr().err
        for note in ("1 extra column", "both directions", "1 repeated line", "1 self-loop"):
            assert note in err, err
        assert "Traceback" not in err and "GraphFileWarning" not in err
    from socialsim.graphs import read_edge_list

    with pytest.warns(UserWarning):
        G = read_edge_list(graph)
    assert sorted(G.edges()) == [(1, 2), (2, 3), (3, 4)]


def test_scheduler_that_is_not_dask_is_refused_in_seconds(tmp_path, capsys):
    """E.g. the scheduler's dashboard (an HTTP server) given as --scheduler."""
    import http.server
    import threading
    import time

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cfg = _tiny_file(tmp_path)
    out = tmp_path / "out"
    start = time.monotonic()
    try:
        address = f"tcp://127.0.0.1:{server.server_address[1]}"
        assert main(["run", str(cfg), "--out", str(out), "--scheduler", address]) == 2
    finally:
        server.shutdown()
    err = capsys.readouterr().err
    assert f"--scheduler {address}" in err and "Traceback" not in err
    assert time.monotonic() - start < 30 and not out.exists()
