"""(c) On a copy of a big store: reads, one entry inserted in place + CHECKPOINT, 1,000 interventions
appended in place + CHECKPOINT, and a copy of the store, with bytes written. See README.md."""
import duckdb, time, statistics, os, shutil
def wb(): return int([l for l in open('/proc/self/io') if l.startswith('write_bytes')][0].split()[1])
import sys
P=sys.argv[1] + '.inplace-copy'
shutil.copyfile(sys.argv[1], P)
c=duckdb.connect(P)
for q in ["SELECT count(*) FROM interventions", "SELECT manufacturer_id, station_id, count(*), avg(labor_minutes) FROM interventions GROUP BY ALL"]:
    ts=[]
    for _ in range(5):
        t=time.perf_counter(); c.execute(q).fetchall(); ts.append(time.perf_counter()-t)
    print('duckdb read ms', round(statistics.median(ts)*1000,1), q[:70])
cols=[r[0] for r in c.execute("select column_name from information_schema.columns where table_name='finding_entries' order by ordinal_position").fetchall()]
print(cols)
lat=[]; b=wb()
for i in range(20):
    t=time.perf_counter()
    c.execute("INSERT INTO finding_entries VALUES (%d, 'I1', 'X', '', 'comment', 'u', 'station', now(), 'hello', NULL, NULL)"%(900000000000+i))
    c.execute("CHECKPOINT")
    lat.append(time.perf_counter()-t)
print('in-place 1-row insert+checkpoint p50 ms', round(statistics.median(lat)*1000,1), 'bytes each', (wb()-b)//20)
b=wb(); t=time.perf_counter()
c.execute("CREATE TEMP TABLE n AS SELECT * REPLACE ('Z'||intervention_id AS intervention_id, 'ZS'||serial_number AS serial_number) FROM interventions LIMIT 1000")
c.execute("INSERT INTO interventions SELECT * FROM n"); c.execute("CHECKPOINT")
print('in-place 1000-intervention append+checkpoint s', round(time.perf_counter()-t,3), 'bytes', wb()-b)
c.close()
b=wb(); t=time.perf_counter(); shutil.copyfile(P, P+'.copy'); 
with open(P+'.copy','rb+') as f: os.fsync(f.fileno())
print('copy of store s', round(time.perf_counter()-t,2), 'bytes', wb()-b); os.unlink(P+'.copy')
t=time.perf_counter(); c=duckdb.connect(':memory:'); c.execute(f"ATTACH '{P}' AS s (READ_ONLY)"); c.execute("select count(*) from s.interventions").fetchall(); print('RO attach+first query ms', round((time.perf_counter()-t)*1000,1))
os.unlink(P)
