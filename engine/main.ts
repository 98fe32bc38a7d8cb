// Engine process entry (ESM). Replaced by the engine work.
console.error('chimeraforge engine: not built yet');
process.exit(1);
