# Helpers shared by the scripts in this folder (sourced, not run).

# Runs one SQL statement as the user of the URL in $1 (pg from the project's node_modules).
admin() { node -e "const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1]});c.connect().then(()=>c.query(process.argv[2])).then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})" "$1" "$2"; }

# Removes the embedded cluster made for the data directory $1: as root it lives under
# /var/lib/tasks-api, in the directory whose data-dir file names $1.
forget_embedded_cluster() {
  for marker in /var/lib/tasks-api/*/data-dir; do
    if [ "$(cat "$marker" 2>/dev/null)" = "$1" ]; then rm -rf "$(dirname "$marker")"; fi
  done
}
