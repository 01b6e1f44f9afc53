"""The OpenRefine reconciliation service, through real HTTP requests on loopback."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from extractor.reconcile import build_reconcilers
from extractor.serve import make_server

TIMEOUT = 10


@pytest.fixture(scope="module")
def base_url():
    server = make_server(build_reconcilers(), host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(TIMEOUT)


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read().decode("utf-8")


def post(url: str, fields: dict | None = None, body: bytes | None = None, ctype: str | None = None):
    data = body if body is not None else urllib.parse.urlencode(fields or {}).encode()
    req = urllib.request.Request(url, data=data, method="POST")
    req.add_header("Content-Type", ctype or "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_manifest(base_url):
    status, ctype, body = get(f"{base_url}/reconcile")
    assert status == 200 and ctype.startswith("application/json")
    manifest = json.loads(body)
    assert {"versions", "name", "identifierSpace", "schemaSpace", "defaultTypes", "preview", "suggest", "view"} <= set(manifest)
    assert {t["id"] for t in manifest["defaultTypes"]} == {"service", "provider"}
    assert manifest["preview"]["url"].startswith(base_url)


def test_manifest_as_jsonp(base_url):
    status, ctype, body = get(f"{base_url}/reconcile?callback=jsonp123")
    assert status == 200 and "javascript" in ctype
    assert body.startswith("jsonp123(") and body.endswith(");")
    assert json.loads(body[len("jsonp123("):-2])["versions"]


def test_batched_queries_by_post(base_url):
    queries = {"q0": {"query": "Governor Services", "type": "service", "limit": 3},
               "q1": {"query": "Governors", "type": "service"},
               "q2": {"query": "Babcock 4S", "type": "provider"},
               "q3": {"query": "Sona Arch - Mere Green", "type": "service"}}
    status, body = post(f"{base_url}/reconcile", {"queries": json.dumps(queries)})
    assert status == 200
    answer = json.loads(body)
    assert set(answer) == set(queries)
    for key in ("q0", "q1"):
        top = answer[key]["result"][0]
        assert (top["id"], top["match"]) == ("governor-services", True)
        assert {"id", "name", "score", "match", "type"} <= set(top)
    assert len(answer["q0"]["result"]) <= 3
    assert answer["q2"]["result"][0]["id"] == "babcock-4s" and answer["q2"]["result"][0]["type"][0]["id"] == "provider"
    assert not any(c["match"] for c in answer["q3"]["result"])  # a close call is never flagged as a match


def test_queries_by_get_and_single_query(base_url):
    q = urllib.parse.quote(json.dumps({"q0": {"query": "catering service"}}))
    status, _, body = get(f"{base_url}/reconcile?queries={q}")
    assert status == 200 and json.loads(body)["q0"]["result"][0]["id"] == "catering"
    status, _, body = get(f"{base_url}/reconcile?query=Cambridge%20Education")
    results = json.loads(body)["result"]
    assert results[0]["id"] == "cambridge-education" and results[0]["match"] is True


def test_json_body(base_url):
    status, body = post(f"{base_url}/reconcile", body=json.dumps({"queries": {"a": {"query": "SEN Transport"}}}).encode(),
                        ctype="application/json")
    assert status == 200 and json.loads(body)["a"]["result"][0]["id"] == "sen-transport"


def test_preview_view_and_suggest(base_url):
    status, ctype, body = get(f"{base_url}/preview?id=governor-services")
    assert status == 200 and "text/html" in ctype and "Governor services" in body
    status, _, body = get(f"{base_url}/view/babcock-prime")
    assert status == 200 and "babcock-international" in body
    assert get(f"{base_url}/preview?id=no-such-id")[0] == 404
    status, _, body = get(f"{base_url}/suggest/entity?prefix=gover")
    assert status == 200 and "governor-services" in [r["id"] for r in json.loads(body)["result"]]
    status, _, body = get(f"{base_url}/suggest/type?prefix=prov")
    assert [r["id"] for r in json.loads(body)["result"]] == ["provider"]


def test_bad_requests_get_clear_errors(base_url):
    status, body = post(f"{base_url}/reconcile", {"queries": "{not json"})
    assert status == 400 and "not JSON" in json.loads(body)["error"]
    status, body = post(f"{base_url}/reconcile", {"queries": json.dumps({"q0": {"query": "x", "type": "planet"}})})
    assert status == 400 and "unknown type" in json.loads(body)["error"]
    assert get(f"{base_url}/reconcile?callback=alert(1)")[0] == 400
    assert get(f"{base_url}/nowhere")[0] == 404
    status, _ = post(f"{base_url}/reconcile", body=b"x" * 10, ctype="text/plain")
    assert status == 200  # an unknown body is ignored: the manifest
