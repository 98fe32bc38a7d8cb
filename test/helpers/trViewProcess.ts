// Child-process entry for tests: loads the dashboard's TR view of argv[2] (reports dir) / argv[3] (TR id)
// and prints it as one JSON line with the size of the message the webview would get. Tests run it under
// a heap limit to show the view streams runs.jsonl instead of reading it whole.
import { loadTrView } from '../../src/vscode/dashboard/trData';

const [reportsDir, trId] = process.argv.slice(2);
loadTrView(reportsDir, trId).then((view) => {
  process.stdout.write(JSON.stringify({ view, messageBytes: JSON.stringify(view).length }) + '\n');
}, (e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
