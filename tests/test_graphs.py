"""Graph input: generators, edge-list files, conversions and rejections."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from socialsim import ConfigError, SocialModel
from socialsim.config import GraphConfig
from socialsim.graphs import (
    adjacency,
    adjacency_from_edges,
    barabasi_albert_edges,
    barabasi_albert_graph,
    build_friendships,
    build_graph,
    check_graph,
    count_at,
    friend_counts_at,
    friends_of,
    read_edge_list,
    rows_times,
)


@pytest.mark.parametrize(
    "kind", ["barabasi_albert", "watts_strogatz", "erdos_renyi", "communities", "complete"]
)
def test_generators_give_simple_labelled_graphs(kind):
    G = build_graph(GraphConfig(kind=kind, n=200, p=0.05, p_in=0.1), seed=1)
    assert G.number_of_nodes() == 200 and G.number_of_edges() > 0
    assert set(G.nodes) == set(range(200))
    A = adjacency(G)
    assert (A != A.T).nnz == 0 and A.diagonal().sum() == 0
    assert A.sum() == 2 * G.number_of_edges()


def test_generators_are_seeded():
    cfg = GraphConfig(kind="barabasi_albert", n=300)
    assert nx.utils.graphs_equal(build_graph(cfg, 5), build_graph(cfg, 5))


def test_edge_list_with_comments(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("# comment\n10 20\n20 30\n30 10\n30 30\n")
    with pytest.warns(UserWarning, match="1 self-loop"):
        G = check_graph(read_edge_list(path))
    assert G.number_of_nodes() == 3 and G.number_of_edges() == 3  # self-loop dropped


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        SocialModel({"graph": {"kind": "file", "path": str(tmp_path / "none.txt")}})
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n")
    with pytest.raises(ConfigError, match="no edges"):
        SocialModel({"graph": {"kind": "file", "path": str(empty)}})


def test_edgeless_graph_rejected():
    with pytest.raises(ConfigError, match="no edges"):
        check_graph(nx.empty_graph(10))
    with pytest.raises(ConfigError, match="no edges"):
        SocialModel({"graph": {"kind": "erdos_renyi", "n": 50, "p": 0.0}})


def test_directed_and_multigraphs_are_converted():
    D = nx.DiGraph([(0, 1), (1, 2), (2, 0)])
    with pytest.warns(UserWarning, match="directed"):
        G = check_graph(D)
    assert not G.is_directed() and G.number_of_edges() == 3
    M = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    with pytest.warns(UserWarning, match="multigraph"):
        G = check_graph(M)
    assert G.number_of_edges() == 2


def test_isolated_nodes_are_kept_as_friendless_users():
    G = nx.path_graph(5)
    G.add_node(5)
    model = SocialModel({"steps": 5}, graph=G)
    assert model.state.n_users == 6 and model.state.degree[5] == 0
    model.run()
    assert np.isfinite(model.state.trust).all()


def test_real_graph(facebook_path):
    G = read_edge_list(facebook_path)
    assert G.number_of_nodes() == 4039 and G.number_of_edges() == 88234


def test_friend_counts_equals_sparse_product():
    G = build_graph(GraphConfig(kind="barabasi_albert", n=500, m=3), seed=2)
    A = adjacency(G)
    rng = np.random.default_rng(0)
    senders = rng.random((500, 3)) < np.array([0.0, 0.02, 0.5])
    expected = A @ senders.astype(np.float64)
    assert np.array_equal(friend_counts_at(A, np.flatnonzero(senders), 3), expected)


@pytest.mark.parametrize(("n", "m", "seed"), [(50, 1, 0), (300, 3, 5), (2000, 5, 11), (40, 39, 2)])
def test_barabasi_albert_is_networkx_own_graph(n, m, seed):
    """The same edges, neighbour order and adjacency as NetworkX's generator, call for call."""
    ours, theirs = barabasi_albert_graph(n, m, seed), nx.barabasi_albert_graph(n, m, seed=seed)
    assert [list(ours.adj[i]) for i in range(n)] == [list(theirs.adj[i]) for i in range(n)]
    src, dst = barabasi_albert_edges(n, m, seed)
    shuffled = np.random.default_rng(0).permutation(src.size)  # the COO path
    B = adjacency(theirs)
    for A in (adjacency_from_edges(n, src, dst), adjacency_from_edges(n, *(src, dst)[::-1])):
        for name in ("indptr", "indices", "data"):
            x, y = getattr(A, name), getattr(B, name)
            assert x.dtype == y.dtype and np.array_equal(x, y)
    A = adjacency_from_edges(n, src[shuffled], dst[shuffled])
    assert all(np.array_equal(getattr(A, k), getattr(B, k)) for k in ("indptr", "indices", "data"))


def test_friendships_build_the_graph_only_when_asked():
    cfg = GraphConfig(kind="barabasi_albert", n=1000, m=4)
    friends = build_friendships(cfg, np.random.default_rng(3))
    assert not friends.built
    G = build_graph(cfg, np.random.default_rng(3))  # the same draws
    assert (friends.adjacency != adjacency(G)).nnz == 0
    assert [list(friends.graph.adj[i]) for i in range(1000)] == [
        list(G.adj[i]) for i in range(1000)
    ]
    assert friends.built and friends.graph is friends.graph
    ws = GraphConfig(kind="watts_strogatz", n=100)
    other = build_friendships(ws, 1)  # NetworkX generators keep their graph
    assert other.built and nx.utils.graphs_equal(other.graph, build_graph(ws, 1))


def test_friends_of_few_and_many_rows():
    """Few rows (joined slices) and many (vectorized gather): each row's friends in order."""
    G = build_graph(GraphConfig(kind="barabasi_albert", n=300, m=3), seed=4)
    A = adjacency(G)
    rng = np.random.default_rng(3)
    for k in (0, 1, 5, 16, 17, 200):
        rows = np.sort(rng.choice(300, k, replace=False))
        got = friends_of(A, rows)
        parts = [A.indices[A.indptr[r] : A.indptr[r + 1]] for r in rows]
        expected = np.concatenate(parts) if k else np.empty(0, dtype=A.indices.dtype)
        assert got.dtype == A.indices.dtype and np.array_equal(got, expected)
    isolated = adjacency_from_edges(4, np.array([0]), np.array([1]))
    for rows in (np.array([2, 3]), np.arange(2, 4).repeat(10)):  # friendless: nothing
        assert friends_of(isolated, rows).size == 0


def test_count_at_equals_bincount():
    rng = np.random.default_rng(1)
    for size in (10, 1000):  # many targets per index (bincount) and few (add.at)
        targets = rng.integers(0, 1000, size)
        expected = np.bincount(targets, minlength=1000).astype(np.float64)
        assert np.array_equal(count_at(targets, 1000), expected)
        base = rng.random(1000)
        assert np.array_equal(count_at(targets, 1000, out=base.copy()), base + expected)


def test_rows_times_is_the_same_product(monkeypatch):
    A = adjacency(build_graph(GraphConfig(kind="barabasi_albert", n=2000, m=4), seed=3))
    rng = np.random.default_rng(2)
    x, X = rng.random(2000), rng.random((2000, 3))
    rows = np.unique(rng.integers(0, 2000, 150))
    for min_nnz in (0, 10**9):  # the row-slicing path and the full product
        monkeypatch.setattr("socialsim.graphs.ROWS_MIN_NNZ", min_nnz)
        assert np.array_equal(rows_times(A, x, rows), (A @ x)[rows])
        assert np.array_equal(rows_times(A, X, rows), (A @ X)[rows])
