"""An OpenRefine-compatible reconciliation service over the registers (stdlib ``http.server``).

Speaks the Reconciliation Service API (versions 0.1/0.2) that OpenRefine uses:

- ``GET /reconcile`` without ``queries``: the service manifest (JSONP when ``callback`` is given).
- ``GET|POST /reconcile`` with ``queries`` (a JSON object ``{"q0": {"query": ..., "type": ...,
  "limit": ...}, ...}``, as a form field or query parameter): one result list per key, each
  candidate ``{id, name, score, match, type, description}``. A single ``query`` (a JSON object
  or a bare string) is answered too.
- ``GET /preview?id=ID``: a small HTML card; ``GET /view/ID``: the entry as a page.
- ``GET /suggest/entity?prefix=...`` and ``/suggest/type?prefix=...``: autocomplete.

Types are ``service`` and ``provider``; a query without a type searches both. ``match`` is true
only when the reconciler's decision is ``matched`` or ``confirmed``: close calls come back with
``match: false`` for a person to choose in OpenRefine.
"""
from __future__ import annotations

import html
import json
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import MinutesError
from .reconcile import Reconciler

MAX_BODY = 2_000_000          # bytes of a POST body
MAX_QUERIES = 1000            # queries in one batch
DEFAULT_LIMIT = 5
TYPES = {"service": ("services", "Council service area"), "provider": ("providers", "Service provider")}
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,100}$")


class ReconciliationService:
    """The request logic, free of HTTP so it can be tested and reused."""

    def __init__(self, reconcilers: dict[str, Reconciler], base_url: str = ""):
        self.reconcilers = reconcilers
        self.base_url = base_url.rstrip("/")
        self._lock = threading.Lock()  # the reconcilers' caches are plain dicts

    def manifest(self) -> dict:
        base = self.base_url
        return {
            "versions": ["0.1", "0.2"],
            "name": "minutes: UK council services and providers",
            "identifierSpace": f"{base}/view/",
            "schemaSpace": f"{base}/types/",
            "defaultTypes": [{"id": t, "name": label} for t, (_, label) in TYPES.items()],
            "view": {"url": f"{base}/view/{{{{id}}}}"},
            "preview": {"url": f"{base}/preview?id={{{{id}}}}", "width": 420, "height": 140},
            "suggest": {
                "entity": {"service_url": base, "service_path": "/suggest/entity"},
                "type": {"service_url": base, "service_path": "/suggest/type"},
            },
        }

    def _entry(self, entry_id: str):
        for t, (kind, _) in TYPES.items():
            reconciler = self.reconcilers.get(kind)
            if reconciler is not None:
                e = reconciler.register.get(entry_id)
                if e is not None:
                    return t, e
        return None, None

    @staticmethod
    def _description(entry) -> str:
        if entry.category:
            return f"{entry.category}" + (f" · LGSL {', '.join(entry.lgsl)}" if entry.lgsl else "")
        bits = [entry.kind or ""]
        if entry.parent:
            bits.append(f"part of {entry.parent}")
        return " · ".join(b for b in bits if b)

    def query(self, q: dict | str) -> dict:
        """Answer one query object."""
        if isinstance(q, str):
            q = {"query": q}
        if not isinstance(q, dict) or not isinstance(q.get("query"), str):
            raise MinutesError("each query needs a 'query' string")
        text = q["query"]
        try:
            limit = max(1, min(int(q.get("limit") or DEFAULT_LIMIT), 50))
        except (TypeError, ValueError):
            raise MinutesError("'limit' must be a number") from None
        wanted = q.get("type")
        if isinstance(wanted, list):
            wanted = wanted[0] if wanted else None
        if isinstance(wanted, dict):
            wanted = wanted.get("id")
        if wanted and wanted not in TYPES:
            raise MinutesError(f"unknown type {wanted!r} (one of {', '.join(TYPES)})")
        types = [wanted] if wanted else list(TYPES)
        results = []
        for t in types:
            kind, label = TYPES[t]
            reconciler = self.reconcilers.get(kind)
            if reconciler is None:
                continue
            with self._lock:
                m = reconciler.match(text)
            for i, c in enumerate(m.candidates):
                entry = reconciler.register.get(c.id)
                is_match = i == 0 and m.register_id == c.id
                results.append({
                    "id": c.id, "name": c.name, "score": 100.0 if is_match and m.decision == "confirmed" else c.score,
                    "match": is_match, "type": [{"id": t, "name": label}],
                    "description": self._description(entry) if entry else "",
                    "features": [{"id": k, "value": v} for k, v in c.features.items()
                                 if isinstance(v, (int, float, bool)) and not isinstance(v, str)],
                })
        results.sort(key=lambda r: (-r["match"], -r["score"]))
        return {"result": results[:limit]}

    def batch(self, queries: dict) -> dict:
        if not isinstance(queries, dict):
            raise MinutesError("'queries' must be a JSON object of query objects")
        if len(queries) > MAX_QUERIES:
            raise MinutesError(f"too many queries in one batch ({len(queries)} > {MAX_QUERIES})")
        return {key: self.query(q) for key, q in queries.items()}

    def suggest_entity(self, prefix: str, wanted: str | None = None, limit: int = 10) -> dict:
        prefix_l = prefix.strip().lower()
        out = []
        for t, (kind, label) in TYPES.items():
            if wanted and t != wanted:
                continue
            reconciler = self.reconcilers.get(kind)
            if reconciler is None:
                continue
            for e in reconciler.register:
                hit = next((n for n in e.names() if n.lower().startswith(prefix_l)), None) if prefix_l else e.name
                if hit is None:
                    hit = next((n for n in e.names() if prefix_l in n.lower()), None)
                if hit is not None:
                    out.append({"id": e.id, "name": e.name, "description": self._description(e),
                                "notable": [{"id": t, "name": label}], "_starts": e.name.lower().startswith(prefix_l)})
        out.sort(key=lambda r: (not r.pop("_starts"), r["name"].lower()))
        return {"result": out[:limit]}

    def suggest_type(self, prefix: str) -> dict:
        p = prefix.strip().lower()
        return {"result": [{"id": t, "name": label} for t, (_, label) in TYPES.items()
                           if not p or t.startswith(p) or label.lower().startswith(p)]}

    def preview_html(self, entry_id: str) -> str | None:
        t, e = self._entry(entry_id)
        if e is None:
            return None
        aliases = ", ".join(e.aliases[:12]) + (" …" if len(e.aliases) > 12 else "")
        return ("<!doctype html><html><body style='margin:0;padding:6px;font:13px sans-serif'>"
                f"<strong>{html.escape(e.name)}</strong> <code>{html.escape(e.id)}</code><br>"
                f"<em>{html.escape(t)}: {html.escape(self._description(e))}</em><br>"
                f"<small>also: {html.escape(aliases)}</small></body></html>")

    def view_html(self, entry_id: str) -> str | None:
        t, e = self._entry(entry_id)
        if e is None:
            return None
        rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(', '.join(v) if isinstance(v, list) else str(v or ''))}</td></tr>"
                       for k, v in e.to_dict().items())
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(e.name)}</title></head>"
                f"<body><h1>{html.escape(e.name)}</h1><p>{html.escape(t)}</p><table>{rows}</table></body></html>")


def _handler(service: ReconciliationService):
    class Handler(BaseHTTPRequestHandler):
        server_version = "minutes-reconcile/1"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args: Any) -> None:  # quiet by default; errors still reach stderr
            pass

        def _send(self, status: int, body: str, ctype: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _json(self, payload: Any, params: dict, status: int = 200) -> None:
            body = json.dumps(payload, ensure_ascii=False)
            callback = params.get("callback")
            if callback:
                if not _CALLBACK.match(callback):
                    return self._send(400, json.dumps({"error": "invalid callback name"}), "application/json")
                return self._send(status, f"{callback}({body});", "application/javascript")
            self._send(status, body, "application/json")

        def _params(self) -> dict | None:
            parts = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            if self.command == "POST":
                try:
                    length = int(self.headers.get("Content-Length") or 0)
                except ValueError:
                    length = -1
                if length < 0 or length > MAX_BODY:
                    self._send(413, json.dumps({"error": f"request body over {MAX_BODY} bytes"}), "application/json")
                    return None
                raw = self.rfile.read(length).decode("utf-8", "replace")
                ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                if ctype == "application/json":
                    try:
                        body = json.loads(raw or "{}")
                    except json.JSONDecodeError:
                        body = None
                    if isinstance(body, dict):
                        params.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()})
                    else:
                        params["queries"] = raw
                else:
                    params.update({k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()})
            return params

        def _route(self) -> None:
            params = self._params()
            if params is None:
                return
            path = urlsplit(self.path).path.rstrip("/") or "/"
            try:
                if path in ("/", "/reconcile"):
                    if "queries" in params:
                        try:
                            queries = json.loads(params["queries"])
                        except json.JSONDecodeError as exc:
                            raise MinutesError(f"'queries' is not JSON ({exc.msg})") from None
                        return self._json(service.batch(queries), params)
                    if "query" in params:
                        raw = params["query"]
                        try:
                            q = json.loads(raw)
                        except json.JSONDecodeError:
                            q = raw
                        if not isinstance(q, (dict, str)):
                            q = raw
                        return self._json(service.query(q), params)
                    return self._json(service.manifest(), params)
                if path == "/suggest/entity":
                    return self._json(service.suggest_entity(params.get("prefix", ""), params.get("type") or None), params)
                if path == "/suggest/type":
                    return self._json(service.suggest_type(params.get("prefix", "")), params)
                if path == "/preview":
                    page = service.preview_html(params.get("id", ""))
                    if page is None:
                        return self._send(404, "<p>no such entry</p>", "text/html")
                    return self._send(200, page, "text/html")
                if path.startswith("/view/"):
                    page = service.view_html(path[len("/view/"):])
                    if page is None:
                        return self._send(404, "<p>no such entry</p>", "text/html")
                    return self._send(200, page, "text/html")
                self._json({"error": f"no such endpoint {path}"}, params, status=404)
            except MinutesError as exc:
                self._json({"error": str(exc)}, params, status=400)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._route()

        def do_POST(self) -> None:  # noqa: N802
            self._route()

        def do_HEAD(self) -> None:  # noqa: N802
            self._route()

        def do_OPTIONS(self) -> None:  # noqa: N802 (CORS preflight from browser-based clients)
            self.send_response(HTTPStatus.NO_CONTENT)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type")
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def make_server(reconcilers: dict[str, Reconciler], host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    """A ready-to-run server (``serve_forever()``); ``port=0`` picks a free port (see ``server_address``)."""
    service = ReconciliationService(reconcilers)
    try:
        server = ThreadingHTTPServer((host, port), _handler(service))
    except OSError as exc:
        raise MinutesError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    server.daemon_threads = True
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    service.base_url = f"http://{shown}:{bound_port}"
    server.service = service  # type: ignore[attr-defined]
    return server


def run_server(reconcilers: dict[str, Reconciler], host: str = "127.0.0.1", port: int = 8765, echo=print) -> None:
    """What ``minutes serve`` does: serve until interrupted."""
    server = make_server(reconcilers, host, port)
    base = server.service.base_url  # type: ignore[attr-defined]
    echo(f"minutes: reconciliation service at {base}/reconcile (add it in OpenRefine: Reconcile > Add standard service); Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
