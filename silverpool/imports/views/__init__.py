"""Pages of the imports app: the import flow (upload, mapping, preview and decisions,
progress, result and undo) and the talent list export."""
