"""schemathesis extensions for Samlet's contract test (loaded by run.sh)."""

import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    """POST /api/v1/bulk takes NDJSON: one JSON value per line.

    The document describes the body as a string (the lines); anything else
    schemathesis generates is sent one JSON value per line.
    """
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode("utf-8")
