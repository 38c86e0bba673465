"""A real editor: Neovim (Debian's, headless) and its built-in LSP client drive
`farchron lsp` through open -> diagnostic -> hover. Neovim 0.7 has no vim.lsp.start:
vim.lsp.start_client + vim.lsp.buf_attach_client, as docs/howto/editors.md configures it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "lsp" / "fixtures" / "russojapanese"

SCRIPT = r"""
local out = {}
local function finish()
  local f = io.open(OUT, "w"); f:write(vim.fn.json_encode(out)); f:close()
  vim.cmd("qall!")
end
local client = vim.lsp.start_client({
  cmd = { PYTHON, "-m", "farchron", "lsp" },
  root_dir = ROOT,
  init_options = { data = ROOT },
})
vim.cmd("edit " .. vim.fn.fnameescape(DRAFT))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client)
vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(out, { kind = "diagnostic", lnum = d.lnum, col = d.col, end_col = d.end_col,
                      severity = d.severity, message = d.message })
end
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
                 position = { line = 2, character = HOVER_COL } }
local res = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 10000) or {}
for _, r in pairs(res) do
  if r.result then table.insert(out, { kind = "hover", value = r.result.contents.value }) end
end
vim.lsp.stop_client(client)
finish()
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed")
def test_neovim_open_diagnostic_hover(tmp_path: Path, _isolated_cache: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(FIXTURE, ws)
    text = ("# Chapter 2\n\nThe Battle of Tsushima was fought on 27 May 1906, "
            "and the Russian squadron was lost.\n")
    (ws / "draft.md").write_text(text)
    col = text.split("\n")[2].index("27 May 1906")
    out = tmp_path / "out.json"
    lua = tmp_path / "drive.lua"
    lua.write_text("\n".join([f"OUT = {json.dumps(str(out))}",
                              f"PYTHON = {json.dumps(sys.executable)}",
                              f"ROOT = {json.dumps(str(ws))}",
                              f"DRAFT = {json.dumps(str(ws / 'draft.md'))}",
                              f"HOVER_COL = {col + 2}", SCRIPT]))
    done = subprocess.run(["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n",
                           "-c", f"luafile {lua}"], cwd=ws, capture_output=True, text=True,
                          timeout=90, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin",
                                           "XDG_CACHE_HOME": str(_isolated_cache),
                                           "XDG_STATE_HOME": str(tmp_path / "state")})
    assert out.is_file(), done.stdout + done.stderr
    got = json.loads(out.read_text())
    diags = [g for g in got if g["kind"] == "diagnostic"]
    assert len(diags) == 1, got
    assert diags[0]["severity"] == 1  # vim.diagnostic.severity.ERROR
    assert (diags[0]["lnum"], diags[0]["col"], diags[0]["end_col"]) == (2, col, col + 11)
    assert "battle-of-tsushima 27–28 May 1905" in diags[0]["message"]
    hovers = [g["value"] for g in got if g["kind"] == "hover"]
    assert hovers and "`1906-05-27`" in hovers[0] and "Battle of Tsushima" in hovers[0]
