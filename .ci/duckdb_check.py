#!/usr/bin/env python3
"""Reads `muutostieto export` output with a real engine, DuckDB: every table of the generated
testdata and of the shared samples is read, row counts are checked against what `muutostieto
stats` and `muutostieto parse` report, column types against the plan (dates are DATE, lines
BIGINT), and joins of `records` with `101_permanent_address` and of qualifying groups with their
hosts give the expected counts. Exit 1 on any mismatch; exit 0 with "skipped: duckdb unavailable"
when the duckdb package cannot be imported.

Usage: .ci/duckdb_check.py BIN OUTDIR SAMPLES_DIR"""
import collections
import glob
import json
import os
import subprocess
import sys

try:
    import duckdb
except ImportError:
    print("skipped: duckdb unavailable (pip install duckdb)")
    sys.exit(0)

BIN, OUT, SAMPLES = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        print("FAIL:", what)


def run(args, **kw):
    return subprocess.run([BIN] + args, capture_output=True, text=True, **kw)


def expected(files, extra):
    """Records, diagnostics and non-raw groups per (code, layout name), from stats and parse."""
    stats = json.loads(run(["stats", "--format", "json"] + extra + files).stdout)
    total = stats["total"]
    diags = total["diagnostics"]
    groups = collections.Counter()
    with_101 = 0
    hosts_of_qualifiers = 0
    for f in files:
        out = run(["parse", "-q"] + extra + [f]).stdout
        for line in out.splitlines():
            item = json.loads(line)
            if item["type"] != "record":
                continue
            seen_101 = False
            for g in item["groups"]:
                if g["group"] != "raw":
                    groups[(g["code"], g["group"])] += 1
                    seen_101 |= g["code"] == "101"
                for q in g.get("qualifiers", []):
                    if q["group"] != "raw":
                        groups[(q["code"], q["group"])] += 1
                        if g["group"] != "raw":
                            hosts_of_qualifiers += 1
            with_101 += seen_101
    return {
        "records": total["records"],
        "diagnostics": diags["errors"] + diags["warnings"],
        "groups": groups,
        "with_101": with_101,
        "qualified": hosts_of_qualifiers,
    }


def verify(name, files, extra=()):
    extra = list(extra)
    out = os.path.join(OUT, name)
    r = run(["export", "-q", "--out", out] + extra + files)
    check(r.returncode in (0, 1), f"{name}: export exit {r.returncode}: {r.stderr}")
    want = expected(files, extra)
    con = duckdb.connect()
    tables = sorted(os.path.basename(p)[: -len(".parquet")] for p in glob.glob(f"{out}/*.parquet"))
    check("records" in tables and "rejected" in tables, f"{name}: records/rejected missing")
    rows = {}
    for t in tables:
        path = f"{out}/{t}.parquet"
        rows[t] = con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
        types = dict(con.execute(f"select column_name, column_type from (describe select * from read_parquet('{path}'))").fetchall())
        check(types.get("line") == "BIGINT", f"{name}/{t}: line is {types.get('line')}")
        check(types.get("file") == "VARCHAR", f"{name}/{t}: file is {types.get('file')}")
        for col, ty in types.items():
            if col.endswith("_precision"):
                date = col[: -len("_precision")]
                check(types.get(date) == "DATE", f"{name}/{t}: {date} is {types.get(date)}, not DATE")
    check(rows["records"] == want["records"], f"{name}: records {rows['records']} != stats {want['records']}")
    check(rows["rejected"] == want["diagnostics"], f"{name}: rejected {rows['rejected']} != stats diagnostics {want['diagnostics']}")
    for (code, group), n in want["groups"].items():
        t = f"{code}_{group}"
        check(rows.get(t) == n, f"{name}: {t} has {rows.get(t)} rows, parse has {n} groups")
    group_rows = sum(n for t, n in rows.items() if t not in ("records", "rejected"))
    check(group_rows == sum(want["groups"].values()), f"{name}: {group_rows} group rows, parse has {sum(want['groups'].values())}")

    # records ⋈ 101_permanent_address on (file, line).
    addr = f"{out}/101_permanent_address.parquet"
    if os.path.exists(addr):
        joined, persons = con.execute(
            f"""select count(*), count(distinct (r.file, r.line))
                from read_parquet('{out}/records.parquet') r
                join read_parquet('{addr}') a using (file, line)"""
        ).fetchone()
        n101 = want["groups"].get(("101", "permanent_address"), 0)
        check(joined == n101, f"{name}: records join 101 gives {joined} rows, expected {n101}")
        check(persons == want["with_101"], f"{name}: {persons} records with a 101, expected {want['with_101']}")
        # Key columns agree with records.
        bad = con.execute(
            f"""select count(*) from read_parquet('{out}/records.parquet') r
                join read_parquet('{addr}') a using (file, line)
                where r.person_id is distinct from a.person_id or r.registered is distinct from a.registered"""
        ).fetchone()[0]
        check(bad == 0, f"{name}: {bad} 101 rows whose key columns differ from records")

    # Qualifying groups find their host on (file, line, host_index = group_index).
    qualifying = [t for t in tables if t.startswith(("320_", "451_", "452_"))]
    hosts = [t for t in tables if t not in qualifying and t not in ("records", "rejected")]
    if qualifying and hosts:
        union = " union all ".join(f"select file, line, group_index from read_parquet('{out}/{t}.parquet')" for t in hosts)
        found = 0
        for q in qualifying:
            found += con.execute(
                f"""select count(*) from read_parquet('{out}/{q}.parquet') q
                    join ({union}) h on q.file = h.file and q.line = h.line and q.host_index = h.group_index"""
            ).fetchone()[0]
        check(found == want["qualified"], f"{name}: {found} qualifying rows found their host, expected {want['qualified']}")
    print(f"{name}: {len(tables)} tables, {rows['records']} records, {group_rows} group rows, {rows['rejected']} rejected: read by DuckDB {duckdb.__version__}")


def main():
    td = "testdata"
    verify("testdata-person", [f"{td}/base.PTT", f"{td}/changes.MTT", f"{td}/odd.MTT"])
    verify("testdata-utf8", [f"{td}/utf8.PTT_001.PART"])
    verify("testdata-latin9", [f"{td}/latin9.MTT"], ["--encoding", "latin9"])
    verify("testdata-buildings", [f"{td}/buildings.RMT", f"{td}/buildings-base.RPT"])
    verify("testdata-layout", [f"{td}/buildings.RMT"], ["--layout", "layouts/building.toml"])
    samples = sorted(
        p for p in glob.glob(f"{SAMPLES}/*") if p.upper().endswith((".PTT", ".MTT", ".PART"))
    )
    check(bool(samples), f"no samples in {SAMPLES}")
    for s in samples:
        verify("sample-" + os.path.basename(s), [s])
    print(f"duckdb: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
