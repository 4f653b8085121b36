// SPDX-License-Identifier: GPL-3.0-or-later
// node tests/duckdb-run.cjs NODE_DIR SQL_FILE: run the SQL through a real
// DuckDB (@duckdb/node-api, installed under NODE_DIR) and print its rows
// as one JSON array.  tests/check-fleet.py runs docs/fleet.md's recipe so.
const { createRequire } = require('module');
const fs = require('fs');

async function main() {
	const req = createRequire(process.argv[2] + '/package.json');
	const { DuckDBInstance } = req('@duckdb/node-api');
	const sql = fs.readFileSync(process.argv[3], 'utf8');
	const db = await DuckDBInstance.create(':memory:');
	const conn = await db.connect();
	const result = await conn.runAndReadAll(sql);
	process.stdout.write(JSON.stringify(result.getRowObjectsJson()) + '\n');
}

main().catch((e) => {
	process.stderr.write(`duckdb-run: ${e.message}\n`);
	process.exit(2);
});
