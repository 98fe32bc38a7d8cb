#!/usr/bin/env python3
"""Example external implementation (Python, standard library only) of the report-agent workflow.

Ingest CSV/JSON/Markdown files, build an inventory, one analysis call, one report call, both streamed
through the Ollama API; writes analysis.md and report.md. Its twin, node-agent.mjs, uses the same
inventory format and the same prompts, so comparing the two compares implementations only.

  python3 python_agent.py --data DIR --out DIR [--base-url URL] [--model NAME] [--options JSON] [--self-report]

Exit codes: 0 done, 2 bad arguments, 3 an LLM call failed, 4 files could not be read or written.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

ANALYSIS_PROMPT = """You are reviewing benchmark data from local LLM inference experiments.
Data inventory:
{inventory}

Write an analysis in four parts: Summary, Performance Findings, Metric Comparison, Tuning Recommendations.
Be specific and brief."""

REPORT_PROMPT = """Write a technical report in markdown from the analysis below, with the sections
Executive Summary, Data Ingestion Summary, Performance Analysis, Key Findings, Recommendations, Appendix.

Analysis:
{analysis}"""

TYPES = {".csv": "CSV", ".json": "JSON", ".md": "Markdown"}
LISTED_PER_TYPE = 5
USAGE = "usage: python_agent.py --data DIR --out DIR [--base-url URL] [--model NAME] [--options JSON] [--self-report]"


def fail(code, message):
    sys.stderr.write(f"python-agent: {message}\n")
    sys.exit(code)


def parse_args(argv):
    a = {"data": None, "out": None, "base_url": os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434",
         "model": "gemma3:latest", "options": {}, "self_report": False}
    i = 0
    while i < len(argv):
        k = argv[i]

        def value():
            if i + 1 >= len(argv):
                fail(2, f"{k} needs a value")
            return argv[i + 1]

        if k in ("--data", "--out", "--base-url", "--model", "--options"):
            v = value()
            i += 1
            if k == "--options":
                try:
                    v = json.loads(v)
                except ValueError:
                    fail(2, "--options must be a JSON object")
                if not isinstance(v, dict):
                    fail(2, "--options must be a JSON object")
            a[k[2:].replace("-", "_")] = v
        elif k == "--self-report":
            a["self_report"] = True
        else:
            fail(2, f"unknown argument {k}")
        i += 1
    if not a["data"] or not a["out"]:
        fail(2, USAGE)
    if not a["base_url"].startswith(("http://", "https://")):
        a["base_url"] = "http://" + a["base_url"]
    a["base_url"] = a["base_url"].rstrip("/")
    return a


def walk(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "node_modules"]
        for name in filenames:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in TYPES:
                out.append(os.path.join(dirpath, name))
    return out


def describe(path, kind, size):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if kind == "CSV":
        first = text.splitlines()[0] if text else ""
        detail = "; columns: " + ", ".join(c.strip() for c in first.split(","))
    elif kind == "JSON":
        try:
            v = json.loads(text)
            detail = f"; array of {len(v)}" if isinstance(v, list) else f"; object with {len(v)} keys" if isinstance(v, dict) else "; scalar"
        except ValueError:
            detail = "; not valid JSON"
    else:
        first = next((line for line in text.splitlines() if line.strip()), "")
        detail = "; first line: " + first.strip()[:80]
    return f"{size} bytes{detail}"


def iso_seconds(mtime):
    return datetime.fromtimestamp(int(mtime), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def inventory(root):
    files = []
    for full in walk(root):
        st = os.stat(full)
        rel = os.path.relpath(full, root).replace(os.sep, "/")
        files.append({"full": full, "rel": rel, "type": TYPES[os.path.splitext(full)[1].lower()], "bytes": st.st_size, "mtime": st.st_mtime})
    files.sort(key=lambda f: f["rel"])
    total = sum(f["bytes"] for f in files)
    lines = [f"Files analysed: {len(files)} ({total} bytes)"]
    for kind in ("CSV", "JSON", "Markdown"):
        of = [f for f in files if f["type"] == kind]
        if not of:
            continue
        size = sum(f["bytes"] for f in of)
        newest = max(f["mtime"] for f in of)
        lines.append(f"{kind} files: {len(of)}, {size} bytes, newest {iso_seconds(newest)}")
        for f in of[:LISTED_PER_TYPE]:
            lines.append(f"  - {f['rel']} ({describe(f['full'], kind, f['bytes'])})")
        if len(of) > LISTED_PER_TYPE:
            lines.append(f"  ... and {len(of) - LISTED_PER_TYPE} more")
    return len(files), "\n".join(lines)


def generate(args, stage, prompt):
    """One streamed /api/generate call; returns the text."""
    body = {"model": args["model"], "prompt": prompt, "stream": True}
    if args["options"]:
        body["options"] = args["options"]
    req = urllib.request.Request(args["base_url"] + "/api/generate", data=json.dumps(body).encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/json", "X-Chimeraforge-Stage": stage})
    t0 = time.perf_counter()
    try:
        res = urllib.request.urlopen(req, timeout=600)
    except urllib.error.HTTPError as e:
        fail(3, f"{stage}: HTTP {e.code}: {e.read().decode('utf-8', 'replace').strip()}")
    except (urllib.error.URLError, OSError) as e:
        fail(3, f"{stage}: {args['base_url']} did not answer ({getattr(e, 'reason', e)})")
    headers_ms = (time.perf_counter() - t0) * 1000
    text, final, chunk_ms = [], None, []
    with res:
        for raw in res:
            line = raw.decode("utf-8").strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                fail(3, f"{stage}: the server sent a line that is not JSON")
            if msg.get("error"):
                fail(3, f"{stage}: error inside the stream: {msg['error']}")
            if msg.get("response"):
                text.append(msg["response"])
                chunk_ms.append((time.perf_counter() - t0) * 1000)
            if msg.get("done"):
                final = msg
    end_ms = (time.perf_counter() - t0) * 1000
    if final is None:
        fail(3, f"{stage}: the stream ended without a done line")
    out = "".join(text)
    if args["self_report"]:
        report = {"chimeraforge": "call", "stage": stage, "api": "generate", "model": args["model"], "options": args["options"],
                  "stream": True, "status": "ok", "headers_ms": headers_ms, "first_token_ms": chunk_ms[0] if chunk_ms else None,
                  "end_ms": end_ms, "chunk_ms": chunk_ms, "text_chars": len(out), "prompt_chars": len(prompt), "final": final}
        sys.stdout.write(json.dumps(report) + "\n")
        sys.stdout.flush()
    return out


def main():
    args = parse_args(sys.argv[1:])
    try:
        count, inv = inventory(args["data"])
    except OSError as e:
        fail(4, f"cannot read {args['data']}: {e}")
    analysis = generate(args, "analysis", ANALYSIS_PROMPT.replace("{inventory}", inv))
    report = generate(args, "report", REPORT_PROMPT.replace("{analysis}", analysis))
    header = f"# Technical Report\n\nModel: {args['model']}\nOptions: {json.dumps(args['options'], separators=(',', ':'))}\nFiles analysed: {count}\n\n"
    try:
        os.makedirs(args["out"], exist_ok=True)
        with open(os.path.join(args["out"], "analysis.md"), "w", encoding="utf-8") as f:
            f.write(analysis + "\n")
        with open(os.path.join(args["out"], "report.md"), "w", encoding="utf-8") as f:
            f.write(header + report + "\n")
    except OSError as e:
        fail(4, f"cannot write into {args['out']}: {e}")
    print(f"python-agent: {count} files, analysis {len(analysis)} chars, report {len(report)} chars → {os.path.join(args['out'], 'report.md')}")


if __name__ == "__main__":
    main()
