"""Social graphs: NetworkX generators, an edge-list reader, checks and the CSR adjacency.

Every graph handed to the model is simple and undirected with nodes labelled 0..n-1.
Directed graphs and multigraphs are converted (with a warning); self-loops are removed.
A graph with no edges is rejected. Isolated nodes are kept: they are users with no friends,
who get no word of mouth and spend all their spare attention on brands.
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp
from mesa.discrete_space import Cell, Network

from .config import ConfigError, GraphConfig


def build_graph(cfg: GraphConfig, seed: int | np.random.Generator | None = None) -> nx.Graph:
    """Build the social graph described by ``cfg`` (generators use ``seed``)."""
    if isinstance(seed, np.random.Generator):
        seed = int(seed.integers(2**31 - 1))
    kind = cfg.kind
    if kind == "barabasi_albert":
        G = nx.barabasi_albert_graph(cfg.n, cfg.m, seed=seed)
    elif kind == "watts_strogatz":
        G = nx.watts_strogatz_graph(cfg.n, cfg.k, cfg.p, seed=seed)
    elif kind == "erdos_renyi":
        G = nx.fast_gnp_random_graph(cfg.n, cfg.p, seed=seed)
    elif kind == "communities":
        base, extra = divmod(cfg.n, cfg.communities)
        sizes = [base + (i < extra) for i in range(cfg.communities)]
        probs = [
            [cfg.p_in if i == j else cfg.p_out for j in range(cfg.communities)]
            for i in range(cfg.communities)
        ]
        G = nx.stochastic_block_model(sizes, probs, seed=seed, sparse=True)
    elif kind == "complete":
        G = nx.complete_graph(cfg.n)
    elif kind == "file":
        G = read_edge_list(cfg.path)
    else:  # pragma: no cover - the schema forbids it
        raise ConfigError(f"graph.kind = {kind!r} is not a known graph kind")
    return check_graph(G, source=f"graph.kind = {kind!r}")


def read_edge_list(path: str | Path) -> nx.Graph:
    """Read a whitespace-separated edge list (SNAP, ``#`` comments) as an undirected graph."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"graph.path = '{path}': file not found")
    G = None
    for nodetype in (int, str):
        try:
            G = nx.read_edgelist(
                path, comments="#", nodetype=nodetype, data=False, create_using=nx.Graph
            )
            break
        except TypeError:
            continue  # labels are not integers: read them as strings
        except (OSError, UnicodeDecodeError, IndexError) as exc:
            raise ConfigError(f"graph.path = '{path}': cannot read edge list ({exc})") from None
    if G.number_of_nodes() == 0:
        raise ConfigError(f"graph.path = '{path}': the edge list has no edges")
    return G


def check_graph(G: nx.Graph, source: str = "graph") -> nx.Graph:
    """Return ``G`` as a simple undirected graph with integer nodes 0..n-1, or raise ConfigError.

    Directed graphs become undirected and multigraphs simple (both with a warning);
    self-loops are dropped. Raises if the graph has fewer than two nodes or no edges.
    """
    if not isinstance(G, nx.Graph):
        raise ConfigError(f"{source}: expected a networkx graph, got {type(G).__name__}")
    if G.is_directed():
        warnings.warn(f"{source}: directed graph converted to undirected", stacklevel=2)
        G = G.to_undirected()
    if G.is_multigraph():
        warnings.warn(f"{source}: multigraph converted to a simple graph", stacklevel=2)
        G = nx.Graph(G)
    loops = list(nx.selfloop_edges(G))
    if loops:
        G = G.copy()
        G.remove_edges_from(loops)
    if G.number_of_nodes() < 2:
        raise ConfigError(f"{source}: the graph has {G.number_of_nodes()} node(s); need at least 2")
    if G.number_of_edges() == 0:
        raise ConfigError(f"{source}: the graph has no edges; users need friends")
    if set(G.nodes) != set(range(G.number_of_nodes())):
        G = nx.convert_node_labels_to_integers(G, ordering="sorted")
    return G


def adjacency(G: nx.Graph) -> sp.csr_array:
    """The symmetric 0/1 adjacency matrix of ``G`` as CSR, rows in node order 0..n-1."""
    n = G.number_of_nodes()
    adj = G._adj  # dict of dicts; reading it directly avoids per-edge Python tuples
    degrees = np.fromiter((len(adj[i]) for i in range(n)), dtype=np.int64, count=n)
    itype = np.int32 if degrees.sum() < 2**31 else np.int64
    indptr = np.concatenate([[0], np.cumsum(degrees)]).astype(itype)
    indices = np.fromiter(
        itertools.chain.from_iterable(adj[i] for i in range(n)), dtype=itype, count=indptr[-1]
    )
    A = sp.csr_array((np.ones(indices.size), indices, indptr), shape=(n, n))
    A.sort_indices()
    return A


def friend_counts(A: sp.csr_array, senders: np.ndarray) -> np.ndarray:
    """For a boolean (n, k) matrix of senders, how many friends of each user sent (n, k).

    Equal to ``A @ senders`` for a symmetric 0/1 ``A`` but costs only the senders' degrees,
    which is far cheaper when few users send (word of mouth on a given day).
    """
    n = A.shape[0]
    out = np.zeros(senders.shape, dtype=np.float64)
    for col in range(senders.shape[1]):
        rows = np.flatnonzero(senders[:, col])
        if rows.size == 0:
            continue
        starts, lens = A.indptr[rows], A.indptr[rows + 1] - A.indptr[rows]
        total = int(lens.sum())
        if total == 0:
            continue
        first = np.repeat(starts - (np.cumsum(lens) - lens), lens)
        friends = A.indices[first + np.arange(total)]
        out[:, col] = np.bincount(friends, minlength=n)
    return out


class SocialNetwork(Network):
    """Mesa's network space, connecting each cell to its neighbours in one dict update.

    Behaves exactly like :class:`mesa.discrete_space.Network`; Mesa's own constructor clears
    a cell's cache once per edge, which dominates start-up on dense graphs.
    """

    def _connect_single_cell(self, cell: Cell) -> None:
        cells = self._cells
        cell._clear_cache()
        cell.connections.update({j: cells[j] for j in self.G._adj[cell.coordinate]})
