"""(b) DuckDB file locks: what a reader in another process gets while a writer holds the file, and
the reverse, and a second instance in one process. See README.md."""
import duckdb, subprocess, sys, time
import os, tempfile
p=os.path.join(tempfile.mkdtemp(), 't.duckdb')
c=duckdb.connect(p); c.execute("create table t as select range i from range(1000)"); c.close()
def other(mode):
    code=f"""import duckdb
try:
    c=duckdb.connect(':memory:'); c.execute("ATTACH '{p}' AS s ({mode})"); print('ok', c.execute('select count(*) from s.t').fetchall())
except Exception as e: print('ERR', type(e).__name__, str(e)[:160])"""
    return subprocess.run([sys.executable,'-c',code],capture_output=True,text=True).stdout.strip()
w=duckdb.connect(p)
print('writer open; other RO ->', other('READ_ONLY'))
w.close()
r=duckdb.connect(':memory:'); r.execute(f"ATTACH '{p}' AS s (READ_ONLY)")
print('reader open; other RW ->', other('READ_WRITE'))
# same process: RW while RO held
try:
    w2=duckdb.connect(p); print('same-process RW while RO held: ok'); w2.execute("insert into t values (5)"); w2.close()
    print('after same-process RW close; other RW ->', other('READ_WRITE'))
except Exception as e: print('same-process', e)
