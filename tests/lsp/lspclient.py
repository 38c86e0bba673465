"""A small JSON-RPC client for the LSP tests: a real `farchron lsp` process, every read with
a timeout, the process killed on close."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

TIMEOUT = 15.0


class Client:
    def __init__(self, cwd: Path, env: dict[str, str] | None = None,
                 args: tuple[str, ...] = ()) -> None:
        full = {k: v for k, v in os.environ.items() if k != "FARCHRON_DATA"}
        full.update(env or {})
        self.proc = subprocess.Popen([sys.executable, "-m", "farchron", *args, "lsp"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, cwd=cwd, env=full)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notes: list[dict[str, Any]] = []
        self.next_id = 0
        self.stderr = b""
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._err, daemon=True).start()

    def _err(self) -> None:
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        self.messages.put(None)
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                assert length is not None
                self.messages.put(json.loads(out.read(length)))
        except Exception:
            self.messages.put(None)

    def send_raw(self, body: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, msg: dict[str, Any]) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **msg}).encode("utf-8"))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        msg = self.wait(lambda m: m.get("id") == rid and "method" not in m, timeout)
        if "error" in msg:
            raise RuntimeError(msg["error"])
        return msg.get("result")

    def wait(self, pred: Any, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first message matching `pred`; notifications are kept, server requests
        (registerCapability...) answered with null."""
        for m in self.notes:
            if pred(m):
                self.notes.remove(m)
                return m
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching message in {timeout}s; stderr: "
                                   f"{self.stderr.decode(errors='replace')[-2000:]}")
            try:
                m = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if m is None:
                raise EOFError("server closed its output: "
                               + self.stderr.decode(errors="replace")[-2000:])
            if "method" in m and "id" in m:
                self.send({"id": m["id"], "result": None})
            if pred(m):
                return m
            if "method" in m:
                self.notes.append(m)

    def diagnostics(self, uri: str, timeout: float = TIMEOUT,
                    pred: Any = None) -> list[dict[str, Any]]:
        """The next diagnostics published for `uri` (matching `pred`, if given)."""
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri
                      and (pred is None or pred(m["params"]["diagnostics"])), timeout)
        return m["params"]["diagnostics"]

    def initialize(self, root: Path | None = None, options: Any = None) -> Any:
        got = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri() if root else None,
            "capabilities": {"workspace": {"didChangeWatchedFiles":
                                           {"dynamicRegistration": True}}},
            "initializationOptions": options})
        self.notify("initialized", {})
        return got

    def open(self, path: Path, text: str, language: str = "markdown") -> str:
        uri = path.resolve().as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": 1, "text": text}})
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}]})

    def close(self) -> int | None:
        try:
            if self.proc.poll() is None:
                try:
                    self.request("shutdown", timeout=5)
                    self.notify("exit")
                except Exception:
                    pass
                try:
                    return self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            return self.proc.returncode
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=5)
