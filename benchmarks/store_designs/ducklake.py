"""(a) DuckLake under duckdb 1.5.5: losses (keys, indexes), a one-row commit, a 1,000-row append,
reads at 1M, a writer in another process. See README.md."""
import duckdb, os, time, subprocess, sys, statistics, glob
D='/tmp/s13/dl/lake'; EXT='/tmp/dlvenv/lib/python3.11/site-packages/duckdb_extension_%s/extensions/v1.5.5/%s.duckdb_extension'
def con():
    c=duckdb.connect()
    for e in ('sqlite','ducklake'):
        c.execute(f"INSTALL '{EXT%(e,e)}'"); c.execute(f"LOAD {e}")
    c.execute(f"ATTACH 'ducklake:sqlite:{D}/catalog.sqlite' AS lake (DATA_PATH '{D}/data/')"); c.execute('USE lake')
    return c
def du(): return sum(os.path.getsize(f) for f in glob.glob(D+'/**',recursive=True) if os.path.isfile(f))
if sys.argv[1:]==['setup']:
    os.system(f'rm -rf {D}; mkdir -p {D}')
    c=con(); t=time.perf_counter()
    c.execute("CREATE TABLE interventions AS SELECT * FROM '/tmp/s13/dl/interventions.parquet'")
    print('load 1M interventions s', round(time.perf_counter()-t,2), 'bytes', du())
    for q in ["CREATE TABLE pk (k INTEGER PRIMARY KEY, v INTEGER)", "CREATE TABLE pk2 (k INTEGER, v INTEGER)",
              "INSERT OR REPLACE INTO pk2 VALUES (1,1)", "CREATE INDEX ix ON pk2(k)", "CREATE MACRO m(x) AS x+1",
              "CREATE OR REPLACE TABLE pk2 AS SELECT 1 k, 2 v", "CREATE TEMP TABLE tt(a int)",
              "UPDATE pk2 SET v=3 WHERE k=1", "DELETE FROM pk2 WHERE k=1",
              "MERGE INTO pk2 USING (SELECT 1 k, 5 v) s ON pk2.k=s.k WHEN MATCHED THEN UPDATE SET v=s.v WHEN NOT MATCHED THEN INSERT VALUES (s.k, s.v)"]:
        try: c.execute(q); print('OK  ', q[:60])
        except Exception as e: print('FAIL', q[:60], '->', str(e).splitlines()[0][:120])
    sys.exit()
c=con(); c.execute('CREATE TABLE IF NOT EXISTS pk2 (k INTEGER, v INTEGER)')
# small commits: one entry row
lat=[]; b0=du()
for i in range(30):
    t=time.perf_counter()
    c.execute("INSERT INTO pk2 VALUES (%d, 1)" % i)
    lat.append(time.perf_counter()-t)
print('1-row commit p50 ms', round(statistics.median(lat)*1000,1), 'max', round(max(lat)*1000,1), 'bytes/commit', (du()-b0)//30)
b0=du(); t=time.perf_counter()
c.execute("INSERT INTO interventions SELECT * REPLACE ('N'||intervention_id AS intervention_id) FROM '/tmp/s13/dl/interventions.parquet' LIMIT 1000")
print('1000-row append s', round(time.perf_counter()-t,3), 'bytes', du()-b0)
# reads at 1M
for q in ["SELECT count(*) FROM interventions", "SELECT manufacturer_id, station_id, count(*), avg(labor_minutes) FROM interventions GROUP BY ALL",
          "SELECT * FROM interventions WHERE intervention_id='N'||(SELECT min(intervention_id) FROM interventions WHERE intervention_id NOT LIKE 'N%')"]:
    ts=[]
    for _ in range(5):
        t=time.perf_counter(); c.execute(q).fetchall(); ts.append(time.perf_counter()-t)
    print('read ms', round(statistics.median(ts)*1000,1), q[:70])
# another process writes while this one holds the lake open and reads
code=open(__file__).read().split('# reads at 1M')[0].split("if sys.argv[1:]==['setup']")[0]+"\nc=con(); t=time.perf_counter(); c.execute('INSERT INTO pk2 VALUES (-1,1)'); print('other-process write while reader attached ok ms', round((time.perf_counter()-t)*1000,1))"
print(subprocess.run([sys.executable,'-c',code],capture_output=True,text=True).stdout.strip() or 'other process failed')
print('snapshots', c.execute("SELECT count(*) FROM ducklake_snapshots('lake')").fetchall())
