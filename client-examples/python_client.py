#!/usr/bin/env python3
"""A small client for the glossary server, standard library only.

    python3 client-examples/python_client.py [BASE_URL]

BASE_URL defaults to $BASE_URL or http://127.0.0.1:8080; $API_KEY, if set,
is sent as a bearer token (needed for writes when the server has keys).
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request


class ApiError(Exception):
    """An error answer from the server: HTTP status, stable code, message."""

    def __init__(self, status, code, message):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class GlossaryClient:
    def __init__(self, base_url, api_key=None):
        self.base = base_url.rstrip("/")
        self.api_key = api_key

    def _call(self, method, path, params=None, body=None):
        url = self.base + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None
        headers = {"Accept": "application/json"}
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = "Bearer " + self.api_key
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            err = json.loads(e.read() or b"{}")
            raise ApiError(e.code, err.get("code"), err.get("message")) from None

    def health(self):
        return self._call("GET", "/api/v1/health")

    def lookup(self, q, src="vi", tgt="en", limit=5):
        return self._call("GET", "/api/v1/lookup", {"q": q, "src": src, "tgt": tgt, "limit": limit})["hits"]

    def create_concept(self, terms, **fields):
        return self._call("POST", "/api/v1/concepts", body={"terms": terms, **fields})

    def get_concept(self, concept_id):
        return self._call("GET", "/api/v1/concepts/" + urllib.parse.quote(concept_id))

    def delete_concept(self, concept_id):
        self._call("DELETE", "/api/v1/concepts/" + urllib.parse.quote(concept_id))


def show_hits(query, hits):
    if not hits:
        print(f"{query} -> (no match)")
    for h in hits:
        targets = ", ".join(t["text"] for t in h["targets"]) or "(no equivalent yet)"
        print(f"{query} -> {h['term']['text']} = {targets} [{h['match_kind']} {h['score']:.2f}]")


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BASE_URL", "http://127.0.0.1:8080")
    client = GlossaryClient(base, os.environ.get("API_KEY"))
    health = client.health()
    print(f"server {health['version']}: {health['concepts']} concepts, {health['terms']} terms")

    for q in ["huu nghi vi dai", "hoà bình", "gan ket chien luok"]:
        show_hits(q, client.lookup(q, limit=1))

    concept = client.create_concept(
        [
            {"lang": "vi", "text": "Ủy ban Thường vụ Quốc hội khóa thử nghiệm", "status": "preferred"},
            {"lang": "en", "text": "test standing committee", "status": "preferred"},
        ],
        subject_field="politics",
        note="Example entry created by client-examples/python_client.py",
    )
    print(f"created {concept['id']} (version {concept['version']})")
    show_hits("uy ban thuong vu quoc hoi khoa thu nghiem", client.lookup("uy ban thuong vu quoc hoi khoa thu nghiem", limit=1))
    client.delete_concept(concept["id"])
    try:
        client.get_concept(concept["id"])
    except ApiError as e:
        print(f"after delete: {e.status} {e.code}")
    try:
        client.lookup("x", src="english_US")
    except ApiError as e:
        print(f"bad language tag: {e.status} {e.code}")


if __name__ == "__main__":
    main()
