"""(a) Events appended/s: MongoEventStore.append against raw insert_one of the same document."""

from __future__ import annotations

from tests.bench.common import META, BenchEnv, Pair, commit_documents, rate, thing


def bench_append(env: BenchEnv, repeat: int) -> list[Pair]:
    """One event per commit and five events per commit, each on fresh streams."""
    n = env.sizes.append
    return [_append(env, repeat, commits=n, per_commit=1),
            _append(env, repeat, commits=max(1, n // 5), per_commit=5)]


def _append(env: BenchEnv, repeat: int, commits: int, per_commit: int) -> Pair:
    tag = f"a{per_commit}_r{repeat}"
    ours_store, raw_store = env.store(f"{tag}_ours"), env.store(f"{tag}_raw")
    docs = commit_documents(raw_store, f"raw-{tag}", commits, per_commit)
    events = per_commit * commits

    def ours() -> None:
        for i in range(commits):
            batch = [thing(i * per_commit + k) for k in range(per_commit)]
            ours_store.append(f"ours-{tag}-{i}", 0, batch, META)

    def raw() -> None:
        for doc in docs:
            raw_store.commits.insert_one(doc)

    # alternate the order so that a server warming up (or filling up) favours neither side
    if repeat % 2:
        base, mine = rate(events, raw), rate(events, ours)
    else:
        mine, base = rate(events, ours), rate(events, raw)
    return Pair(f"append, {per_commit} event{'s' if per_commit > 1 else ''}/commit",
                "pymongo insert_one, same doc + indexes", mine, base)
