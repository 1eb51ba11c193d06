"""Benchmark of the explorers (mlcalc.widgets / mlcalc.explorers): live responsiveness and weight.

For every ready-made explorer at its default size:

* build: time to render all frames (done once, when the explorer is created);
* weight: number of frames, size of the PNG frames and of the explorer's HTML (what the static
  book page carries per explorer);
* live, as shipped (frames precomputed): time from a slider value change, set from Python on
  the live widget (``control.value = v``), to the ``ipywidgets.Image`` holding the new frame.
  Every value of every slider is visited, forwards then backwards;
* live, kernel round trip: the same change sent as a frontend sends it (a ``comm_msg`` "update"
  to a real ipykernel over ZMQ) until the image update message arrives back on IOPub, i.e.
  everything but the browser's painting;
* cold redraw: the same sweep with ``precompute=False``, so every first visit of a value runs
  ``plot_fn`` and encodes the PNG (what a slider would cost without precomputed frames).

Writes benchmarks/widgets/RESULTS.md (and results.json). Run from the repository root:

    .venv/bin/python benchmarks/widgets/run.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _sweep_keys(ex):
    """(name, value) changes visiting every value of every slider, forwards then backwards."""
    changes = []
    for name in ex.params:
        values = list(ex.values_of(name))
        order = values[1:] + values[::-1][1:]
        changes += [(name, v) for v in order]
        changes.append((name, ex.default_values[name]))
    return changes


def _drive(ex, changes, cold=False):
    """Seconds from `control.value = v` to the image holding the new frame, per change.

    With ``cold`` the frame cache is emptied before every change, so each one redraws.
    """
    times = []
    controls = ex.controls
    for name, v in changes:
        c = controls[name]
        p = ex.params.index(name)
        kind = ex._params[p].kind
        target = ex._params[p].nearest(v) if kind in ("numbers", "names") else v
        if c.value == target:
            continue
        before = ex.image.value
        if cold:
            ex._cache.clear()
        t0 = time.perf_counter()
        c.value = target
        dt = time.perf_counter() - t0
        key = ex._current_key()
        assert ex.image.value == ex._cache[key], "image not updated"
        if ex.image.value != before:
            times.append(dt)
    return times


def measure_in_process(name, factory):
    import matplotlib.pyplot as plt

    t0 = time.perf_counter()
    ex = factory()
    build = time.perf_counter() - t0
    n_open = len(plt.get_fignums())
    live = _drive(ex, _sweep_keys(ex))
    assert len(plt.get_fignums()) == n_open
    cold_ex = factory(precompute=False)
    cold_ex.widget()  # lays out and draws the default frame (not timed: shown with the cell)
    cold = _drive(cold_ex, _sweep_keys(cold_ex), cold=True)
    renders = sorted(ex._render_seconds)
    return {
        "name": name,
        "params": {p: len(ex.values_of(p)) for p in ex.params},
        "n_frames": ex.n_frames,
        "n_unique": ex.n_unique_frames,
        "frame_size": list(ex.frame_size),
        "frame_bytes": ex.frame_bytes,
        "html_bytes": ex.html_bytes,
        "build_s": build,
        "render_median_ms": 1000 * statistics.median(renders),
        "live_n": len(live),
        "live_median_ms": 1000 * statistics.median(live),
        "live_worst_ms": 1000 * max(live),
        "cold_n": len(cold),
        "cold_median_ms": 1000 * statistics.median(cold),
        "cold_worst_ms": 1000 * max(cold),
    }


_KERNEL_SETUP = """
import json
from mlcalc import explorers as _E
_ex = _E.{name}()
_bundle = _ex._repr_mimebundle_()
_P = {{n: (p.kind, list(p.values)) for n, p in zip(_ex.params, _ex._params)}}
print(json.dumps({{"image": _ex.image.model_id,
                  "controls": {{n: c.model_id for n, c in _ex.controls.items()}},
                  "params": _P, "defaults": [p.default for p in _ex._params]}}))
"""


def measure_kernel(names, timeout=900):
    """Round trip frontend -> kernel -> frontend for every change of every explorer."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    out = {}
    try:
        for name in names:
            msg_id = kc.execute(_KERNEL_SETUP.format(name=name))
            info = None
            while True:
                msg = kc.get_iopub_msg(timeout=timeout)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                t = msg["msg_type"]
                if t == "stream" and msg["content"]["name"] == "stdout":
                    info = json.loads(msg["content"]["text"].strip().splitlines()[-1])
                elif t == "error":
                    raise RuntimeError("\n".join(msg["content"]["traceback"]))
                elif t == "status" and msg["content"]["execution_state"] == "idle":
                    break
            times = []
            current = list(info["defaults"])
            for j, pname in enumerate(info["params"]):
                kind, values = info["params"][pname]
                n = len(values)
                order = list(range(1, n)) + list(range(n - 2, -1, -1))
                order.append(info["defaults"][j])
                for idx in order:
                    if idx == current[j]:
                        continue
                    current[j] = idx
                    if kind in ("numbers", "names"):
                        state = {"index": idx}
                    else:
                        state = {"value": values[idx]}
                    content = {"comm_id": info["controls"][pname],
                               "data": {"method": "update", "state": state, "buffer_paths": []}}
                    msg = kc.session.msg("comm_msg", content)
                    t0 = time.perf_counter()
                    kc.shell_channel.send(msg)
                    while True:
                        m = kc.get_iopub_msg(timeout=120)
                        if (m["msg_type"] == "comm_msg"
                                and m["content"]["comm_id"] == info["image"]
                                and ["value"] in m["content"]["data"].get("buffer_paths", [])):
                            times.append(time.perf_counter() - t0)
                            break
            out[name] = {
                "roundtrip_n": len(times),
                "roundtrip_median_ms": 1000 * statistics.median(times),
                "roundtrip_worst_ms": 1000 * max(times),
            }
            print(f"  kernel {name}: median {out[name]['roundtrip_median_ms']:.1f} ms, "
                  f"worst {out[name]['roundtrip_worst_ms']:.1f} ms", flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out


def page_weights(book_html: Path):
    """Size of every built page holding an explorer, and how much of it the explorers are."""
    import re

    rows = []
    for page in sorted(book_html.rglob("*.html")):
        if "_sources" in page.parts or "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        blocks = re.findall(r'<div class="mlx-explorer".*?</script></div>', text, re.S)
        if not blocks:
            continue
        rows.append({
            "page": str(page.relative_to(book_html)),
            "bytes": len(text.encode("utf-8")),
            "explorers": len(blocks),
            "explorer_bytes": sum(len(b.encode("utf-8")) for b in blocks),
            "widget_state": "application/vnd.jupyter.widget-state+json" in text,
        })
    return rows


def write_results(rows, kernel, load_before, load_after, argv, pages=None):
    import matplotlib
    import numpy

    import mlcalc

    lines = [
        "# Explorers: live responsiveness and page weight",
        "",
        "Generated by `benchmarks/widgets/run.py`; do not edit by hand. Reproduce from the "
        "repository root with:",
        "",
        "```",
        ".venv/bin/python benchmarks/widgets/run.py" + (" " + " ".join(argv) if argv else ""),
        "```",
        "",
        f"Machine: {os.cpu_count()} cores, python {platform.python_version()}, numpy "
        f"{numpy.__version__}, matplotlib {matplotlib.__version__}, mlcalc {mlcalc.__version__}. "
        f"Load average (1 min) before / after the run: {load_before:.1f} / {load_after:.1f} "
        "(the machine is shared: times above ~2 mean other jobs competed for the 2 cores).",
        "",
        "Frames are 640 x 360 px palette PNGs (figsize 6.4 x 3.6 in at dpi 100, 256 colours). "
        "Targets: live median < 50 ms and worst < 150 ms per slider change.",
        "",
        "## Live responsiveness (every value of every slider, forwards and backwards)",
        "",
        "| explorer | sliders (values) | changes | live median / worst | kernel round trip "
        "median / worst | cold redraw median / worst |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        k = kernel.get(r["name"])
        rt = (f"{k['roundtrip_median_ms']:.1f} / {k['roundtrip_worst_ms']:.1f} ms"
              if k else "not run")
        sliders = ", ".join(f"{p} ({n})" for p, n in r["params"].items())
        lines.append(
            f"| {r['name']} | {sliders} | {r['live_n']} | {r['live_median_ms']:.2f} / "
            f"{r['live_worst_ms']:.2f} ms | {rt} | {r['cold_median_ms']:.0f} / "
            f"{r['cold_worst_ms']:.0f} ms |"
        )
    lines += [
        "",
        "* **live**: `control.value = v` on the live widget until `ex.image.value` holds the new "
        "frame, in the kernel's process. The frames are the precomputed ones, so a change is a "
        "dictionary look-up and one trait assignment.",
        "* **kernel round trip**: a `comm_msg` update sent to a real ipykernel over ZMQ, as "
        "JupyterLab sends it when the reader drags, until the Image's update (with the PNG "
        "bytes) comes back on IOPub. Only the browser's decoding and painting (a few ms for a "
        "640 x 360 PNG) is missing.",
        "* **cold redraw**: the same sweep on an explorer created with `precompute=False`: each "
        "change runs `plot_fn` on the reused Figure, draws with Agg and encodes a palette PNG. "
        "This is what a slider costs when frames are not precomputed, and it misses the "
        "target: most of it is matplotlib building the axes and drawing two panels with text "
        "and mathtext through Agg; quantising to 256 colours and optimising the PNG add about "
        "40 ms. That is why explorers precompute: the frames are needed for the static HTML "
        "anyway, and the live slider reuses them. Redrawing on demand within 50 ms would need "
        "plots that update their artists in place (set_data) instead of redrawing, plain "
        "(unquantised, fast-compressed) PNGs, and fewer text elements per frame.",
        "",
        "## Build time and weight (per explorer, default size)",
        "",
        "| explorer | frames (distinct) | build (all frames) | median per frame | PNG bytes | "
        "HTML bytes |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['n_frames']} ({r['n_unique']}) | {r['build_s']:.1f} s | "
            f"{r['render_median_ms']:.0f} ms | {r['frame_bytes'] / 1e3:.0f} kB | "
            f"{r['html_bytes'] / 1e3:.0f} kB |"
        )
    total = sum(r["html_bytes"] for r in rows)
    heaviest = max(rows, key=lambda r: r["html_bytes"])
    lines += [
        "",
        f"All {len(rows)} explorers together: {total / 1e6:.2f} MB of HTML. The heaviest, "
        f"{heaviest['name']}, is {heaviest['html_bytes'] / 1e3:.0f} kB, so a chapter page "
        "with two explorers stays well under 3 MB. `explore` refuses more than 64 frames "
        "(`max_frames`) and more than 1.5 MB of HTML per explorer (`max_bytes`).",
        "",
    ]
    if pages:
        lines += [
            "## Pages of the built book that hold explorers",
            "",
            "| page | explorers | page size | of which explorers | widget state in page |",
            "| --- | --- | --- | --- | --- |",
        ]
        for p in pages:
            lines.append(
                f"| {p['page']} | {p['explorers']} | {p['bytes'] / 1e6:.2f} MB | "
                f"{p['explorer_bytes'] / 1e6:.2f} MB | {'yes' if p['widget_state'] else 'no'} |"
            )
        lines.append("")
        if any(p["widget_state"] for p in pages):
            lines += [
                "Pages marked *widget state: yes* were executed without the Sphinx hook "
                "`mlcalc.widgets` in `_config.yml` (`sphinx: extra_extensions`): each explorer "
                "then also created its live widgets during the build, so the page carries "
                "their state (the first frame again, as a buffer) and loads the widgets HTML "
                "manager (embed-amd.js, 3.6 MB) and require.js, although it shows only the "
                "static HTML. With the hook, explorers emit no widget during the build and "
                "myst-nb adds neither.",
                "",
            ]
    (HERE / "RESULTS.md").write_text("\n".join(lines), encoding="utf-8")
    (HERE / "results.json").write_text(
        json.dumps({"in_process": rows, "kernel": kernel, "pages": pages, "argv": argv,
                    "load": [load_before, load_after]}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="explorer names (default: all)")
    ap.add_argument("--no-kernel", action="store_true", help="skip the kernel round trip")
    ap.add_argument("--book", default=str(HERE.parent.parent / "_build" / "html"),
                    help="built book to weigh (default: _build/html; skipped when absent)")
    ap.add_argument("--rewrite", action="store_true",
                    help="only rewrite RESULTS.md from results.json (no measuring)")
    args = ap.parse_args(argv)
    if args.rewrite:
        d = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
        load = d.get("load", [float("nan"), float("nan")])
        write_results(d["in_process"], d["kernel"], load[0], load[1], d.get("argv", []),
                      d.get("pages"))
        return

    import matplotlib

    matplotlib.use("Agg")
    from mlcalc import explorers

    names = args.only or list(explorers.__all__)
    load_before = os.getloadavg()[0]
    rows = []
    for name in names:
        factory = getattr(explorers, name)
        r = measure_in_process(name, factory)
        rows.append(r)
        print(f"{name}: {r['n_frames']} frames, {r['html_bytes'] / 1e3:.0f} kB, build "
              f"{r['build_s']:.1f} s, live {r['live_median_ms']:.2f}/{r['live_worst_ms']:.2f} ms,"
              f" cold {r['cold_median_ms']:.0f}/{r['cold_worst_ms']:.0f} ms", flush=True)
    kernel = {} if args.no_kernel else measure_kernel(names)
    load_after = os.getloadavg()[0]
    book = Path(args.book)
    pages = page_weights(book) if book.is_dir() else None
    if pages is not None:
        for p in pages:
            print(f"  page {p['page']}: {p['bytes'] / 1e6:.2f} MB, {p['explorers']} explorers")
    write_results(rows, kernel, load_before, load_after, argv, pages)
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
