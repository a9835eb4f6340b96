"""HTTP handlers, one module per area; each handler decodes, calls one models function (through
the pool when it is heavy) and encodes."""
