/**
 * Starts the built API (dist/main.js) in this process, exactly as `node dist/main.js` does. Only
 * the command line differs, so that a `pkill -f dist/main.js` aimed at another copy of the API on
 * a shared machine does not stop the one under measurement (seen here: a run lost its API so).
 */
await import('../../dist/main.js');
