#!/usr/bin/env bash
# The room list's query on PostgreSQL with many unread messages (docs/benchmarks.md, "The room list"):
# makes a database with the migrations' schema, a reader in 10 rooms of 100,000 unread messages and 40
# of 20, and prints EXPLAIN ANALYZE's execution time of the first page of 50, three times each, for the
# query in JdbcRooms (unread counted up to 1,000) and for the one before it (every unread message
# counted), with PostgreSQL's JIT on and off.
#   benchmarks/room-list.sh [AUTHORS]   AUTHORS: how many users wrote the messages (default 20; 1 = a bot's room)
# Environment: PGHOST (127.0.0.1), PGUSER (postgres); the database parley_room_list is dropped and made anew.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
authors="${1:-20}"
export PGHOST="${PGHOST:-127.0.0.1}" PGUSER="${PGUSER:-postgres}"
db=parley_room_list
psql -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
for migration in "$here"/adapters-persistence/src/main/resources/db/migration/parley/V*.sql; do
  psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$migration"
done
psql -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
INSERT INTO rooms SELECT 'busy' || i, 'Busy ' || i, 'open', 'writer0', now() - interval '1 day', 100000,
                         now() - (i || ' seconds')::interval FROM generate_series(1, 10) i;
INSERT INTO rooms SELECT 'quiet' || i, 'Quiet ' || i, 'open', 'writer0', now() - interval '1 day', 20,
                         now() - ((100 + i) || ' seconds')::interval FROM generate_series(1, 40) i;
INSERT INTO memberships SELECT room_id, u, 1, now() - interval '1 day' FROM rooms, (VALUES ('reader'), ('writer0')) v(u);
INSERT INTO messages (room_id, seq, message_id, author_id, author_name, body, sent_at)
  SELECT 'busy' || r, s, 'm' || r || '-' || s, 'writer' || (s % $authors), 'Writer', 'message ' || s, now()
  FROM generate_series(1, 10) r, generate_series(1, 100000) s;
INSERT INTO messages (room_id, seq, message_id, author_id, author_name, body, sent_at)
  SELECT 'quiet' || r, s, 'q' || r || '-' || s, 'writer' || (s % $authors), 'Writer', 'message ' || s, now()
  FROM generate_series(1, 40) r, generate_series(1, 20) s;
VACUUM ANALYZE;
SQL
# The query as JdbcRooms has it (first page, the reader bound as a value), and the one before the cap.
python3 - "$here/adapters-persistence/src/main/java/io/parley/adapters/persistence/jdbc/JdbcRooms.java" <<'PY'
import re, sys
sql = re.search(r'SUMMARIES = """(.*?)""";', open(sys.argv[1]).read(), re.S).group(1)
now = sql.replace('%1$s', '').replace('%2$d', '1000').replace('LIMIT ?', 'LIMIT 50').replace('?', "'reader'")
before = (now.replace("x.author_id <> 'reader'", 'x.author_id <> p.user_id')
          .replace('(SELECT count(*) FROM (SELECT 1 FROM messages x', '(SELECT count(*) FROM messages x')
          .replace('ORDER BY x.seq LIMIT 1000) u) AS unread', ') AS unread'))
if now == before or 'LIMIT 1000' in before:
    sys.exit('JdbcRooms.SUMMARIES changed shape: update benchmarks/room-list.sh')
open('/tmp/parley-room-list-now.sql', 'w').write('EXPLAIN ANALYZE ' + now + ';')
open('/tmp/parley-room-list-before.sql', 'w').write('EXPLAIN ANALYZE ' + before + ';')
PY
for query in before now; do
  for jit in on off; do
    times=""
    for _ in 1 2 3; do
      times="$times $( (echo "SET jit = $jit;"; cat /tmp/parley-room-list-$query.sql) | psql -d "$db" \
        | sed -n 's/.*Execution Time: \([0-9.]*\) ms.*/\1/p')"
    done
    echo "authors=$authors query=$query jit=$jit: execution ms$times"
  done
done
