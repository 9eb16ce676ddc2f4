#!/usr/bin/env python3
"""What PyTorch, JAX and TensorFlow really do at ReLU's special points: measured, not cited.

For each framework that imports, each device it finds (``cpu``; ``cuda`` when present) and each
of float16, bfloat16, float32 and float64, every spelling of ReLU and of its relatives that the
book discusses is evaluated at a fixed set of points (``POINTS``): its value, with the sign of
a zero, and its automatic derivative (``torch.autograd``, ``jax.vjp``, ``tf.GradientTape``:
the gradient of ``sum(f(x))``, which for these elementwise functions is ``f'(x)`` point by
point). An operation that a framework refuses for a dtype or device is recorded as its error
class and first line of message, never a crash. Each framework runs in its own subprocess, so
a framework that fails to import (or crashes) costs only its own rows.

Everything goes into one record, ``docs/data/frameworks.json`` (schema:
``docs/data/frameworks.schema.json``), one section per (framework, device), each with the
versions, the device's name, the date, and one row per (dtype, spelling):
``[dtype, spelling, output dtype, values, derivatives]``. Floats are written as Python's
``repr`` of the number widened to float64, which is exact for every dtype here and keeps
``"-0.0"``, ``"nan"``, ``"inf"`` and ``"-inf"`` (a NaN's sign and payload are not kept).

Usage (``nox -s frameworks`` runs the first and the third with pinned CPU builds)::

    python3 tools/framework_probe.py                  # probe every device found, update the record
    python3 tools/framework_probe.py --devices cuda --out OUT.json   # the cuda sections alone
    python3 tools/framework_probe.py --check          # re-run on CPU, name each differing cell
    python3 tools/framework_probe.py --merge OUT.json # put OUT.json's sections into the record

Updating replaces only the sections probed in this run and keeps the others (a ``cuda``
section recorded on a GPU machine stays when the record is refreshed on a CPU-only one). A
section whose content did not change keeps its date, so a refresh that finds nothing new
leaves the file byte for byte as it was.

Needs the standard library and the frameworks (numpy for JAX and TensorFlow); ``jsonschema``,
where it is installed, validates what is read and written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "data" / "frameworks.json"
SCHEMA_NAME = "frameworks.schema.json"
SCHEMA_VERSION = 1
FRAMEWORKS = ("torch", "jax", "tensorflow")
DTYPES = ("float16", "bfloat16", "float32", "float64")
DEVICES = ("cpu", "cuda")

# The points, by name: their values depend on the dtype (the smallest subnormal, the neighbours
# of 6), and DTYPE_FACTS gives them exactly. "tiny" is the smallest positive subnormal;
# "6-ulp" and "6+ulp" are the floats next to 6.
POINTS = (
    "-inf", "-1", "-tiny", "-0.0", "0.0", "tiny", "1", "6-ulp", "6", "6+ulp", "30", "inf", "nan",
)  # fmt: skip
# (smallest positive subnormal, spacing of the floats just below 6, just above 6)
DTYPE_FACTS = {
    "float16": (2.0**-24, 2.0**-8, 2.0**-8),
    "bfloat16": (2.0**-133, 2.0**-5, 2.0**-5),
    "float32": (2.0**-149, 2.0**-21, 2.0**-21),
    "float64": (2.0**-1074, 2.0**-50, 2.0**-50),
}
ERROR_CHARS = 300  # an error message is kept to its first line, at most this long


def point_values(dtype: str) -> list[float]:
    """The points of POINTS in ``dtype``, as float64 numbers (each exactly representable)."""
    tiny, below, above = DTYPE_FACTS[dtype]
    named = {
        "-inf": float("-inf"), "-1": -1.0, "-tiny": -tiny, "-0.0": -0.0, "0.0": 0.0,
        "tiny": tiny, "1": 1.0, "6-ulp": 6.0 - below, "6": 6.0, "6+ulp": 6.0 + above,
        "30": 30.0, "inf": float("inf"), "nan": float("nan"),
    }  # fmt: skip
    return [named[p] for p in POINTS]


def encode(value: float) -> str:
    """A float as text JSON keeps: repr of the float64 number ("-0.0", "nan", "inf", "5e-324")."""
    return repr(float(value))


def error_text(exc: BaseException) -> str:
    """An error as "Class: first line of its message", short and stable."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}"[:ERROR_CHARS]


def cpu_name() -> str:
    """The processor's model name (Linux /proc/cpuinfo), else platform.processor()."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def log(message: str) -> None:
    print(f"[framework_probe] {message}", file=sys.stderr, flush=True)


# --- The spellings, per framework --------------------------------------------------------------
# Each is the expression as a reader would type it, applied to a 1-D array x of the points.
# Keras layers are built with x's dtype (by default a Keras layer casts its input to float32)
# and get x as a column, a batch of 13 scalars.


def torch_spellings() -> dict[str, Callable[[Any], Any]]:
    import torch
    import torch.nn.functional as F

    return {
        "torch.relu(x)": torch.relu,
        "torch.nn.functional.relu(x)": F.relu,
        "torch.clamp(x, min=0)": lambda x: torch.clamp(x, min=0),
        "torch.maximum(x, torch.tensor(0.0))": lambda x: torch.maximum(x, torch.tensor(0.0)),
        "torch.where(x > 0, x, 0.0)": lambda x: torch.where(x > 0, x, 0.0),
        "x * (x > 0)": lambda x: x * (x > 0),
        "torch.nn.functional.leaky_relu(x)": F.leaky_relu,
        "torch.nn.PReLU(dtype=x.dtype)(x)": (
            lambda x: torch.nn.PReLU(device=x.device, dtype=x.dtype)(x)
        ),
        "torch.nn.functional.elu(x)": F.elu,
        "torch.nn.functional.relu6(x)": F.relu6,
        "torch.nn.functional.gelu(x)": F.gelu,
        "torch.nn.functional.gelu(x, approximate='tanh')": lambda x: F.gelu(x, approximate="tanh"),
        "torch.nn.functional.silu(x)": F.silu,
        "torch.nn.functional.softplus(x)": F.softplus,
        "torch.sigmoid(x)": torch.sigmoid,
        "torch.tanh(x)": torch.tanh,
    }


def jax_spellings() -> dict[str, Callable[[Any], Any]]:
    import jax
    import jax.numpy as jnp

    return {
        "jax.nn.relu(x)": jax.nn.relu,
        "jnp.maximum(x, 0.0)": lambda x: jnp.maximum(x, 0.0),
        "jnp.clip(x, min=0.0)": lambda x: jnp.clip(x, min=0.0),
        "jnp.where(x > 0, x, 0.0)": lambda x: jnp.where(x > 0, x, 0.0),
        "x * (x > 0)": lambda x: x * (x > 0),
        "jax.nn.leaky_relu(x)": jax.nn.leaky_relu,
        "jax.nn.elu(x)": jax.nn.elu,
        "jax.nn.relu6(x)": jax.nn.relu6,
        "jax.nn.gelu(x)": jax.nn.gelu,
        "jax.nn.gelu(x, approximate=False)": lambda x: jax.nn.gelu(x, approximate=False),
        "jax.nn.silu(x)": jax.nn.silu,
        "jax.nn.softplus(x)": jax.nn.softplus,
        "jax.nn.sigmoid(x)": jax.nn.sigmoid,
        "jnp.tanh(x)": jnp.tanh,
    }


def tensorflow_spellings() -> dict[str, Callable[[Any], Any]]:
    import keras
    import tensorflow as tf

    def layer(make: Callable[[str], Any]) -> Callable[[Any], Any]:
        return lambda x: tf.reshape(make(x.dtype.name)(tf.reshape(x, (-1, 1))), (-1,))

    return {
        "tf.nn.relu(x)": tf.nn.relu,
        "tf.maximum(x, 0.0)": lambda x: tf.maximum(x, tf.constant(0.0, dtype=x.dtype)),
        "tf.where(x > 0, x, tf.zeros_like(x))": lambda x: tf.where(x > 0, x, tf.zeros_like(x)),
        "x * tf.cast(x > 0, x.dtype)": lambda x: x * tf.cast(x > 0, x.dtype),
        "tf.nn.leaky_relu(x)": tf.nn.leaky_relu,
        "tf.nn.elu(x)": tf.nn.elu,
        "tf.nn.relu6(x)": tf.nn.relu6,
        "tf.nn.gelu(x)": tf.nn.gelu,
        "tf.nn.gelu(x, approximate=True)": lambda x: tf.nn.gelu(x, approximate=True),
        "tf.nn.silu(x)": tf.nn.silu,
        "tf.nn.softplus(x)": tf.nn.softplus,
        "tf.sigmoid(x)": tf.sigmoid,
        "tf.tanh(x)": tf.tanh,
        "keras.activations.relu(x)": keras.activations.relu,
        "keras.activations.leaky_relu(x)": keras.activations.leaky_relu,
        "keras.layers.LeakyReLU(dtype=x.dtype)(x)": layer(
            lambda d: keras.layers.LeakyReLU(dtype=d)
        ),
        "keras.layers.PReLU(dtype=x.dtype)(x)": layer(lambda d: keras.layers.PReLU(dtype=d)),
        "keras.activations.elu(x)": keras.activations.elu,
        "keras.activations.gelu(x)": keras.activations.gelu,
        "keras.ops.gelu(x)": keras.ops.gelu,
    }


# --- Running one framework on its devices (in a subprocess) -----------------------------------


def _row(
    dtype: str, spelling: str, run: Callable[[], tuple[str, list[float], list[float]]]
) -> list[Any]:
    """[dtype, spelling, output dtype, values, derivatives]; an error in place of what failed."""
    try:
        out_dtype, values, grads = run()
    except _ForwardError as exc:
        return [dtype, spelling, None, exc.text, "not computed: the value failed"]
    except _BackwardError as exc:
        return [dtype, spelling, exc.out_dtype, [encode(v) for v in exc.values], exc.text]
    return [dtype, spelling, out_dtype, [encode(v) for v in values], [encode(g) for g in grads]]


class _ForwardError(Exception):
    def __init__(self, exc: BaseException) -> None:
        super().__init__(error_text(exc))
        self.text = error_text(exc)


class _BackwardError(Exception):
    def __init__(self, exc: BaseException, out_dtype: str, values: list[float]) -> None:
        super().__init__(error_text(exc))
        self.text = error_text(exc)
        self.out_dtype = out_dtype
        self.values = values


def probe_torch(devices: Iterable[str]) -> dict[str, Any]:
    import torch

    dtypes = {
        "float16": torch.float16,
        "bfloat16": torch.bfloat16,
        "float32": torch.float32,
        "float64": torch.float64,
    }
    found = {"cpu": cpu_name()}
    if torch.cuda.is_available():
        found["cuda"] = torch.cuda.get_device_name(0)
    spellings = torch_spellings()
    sections = {}
    for device in devices:
        if device not in found:
            continue
        rows, inputs = [], {}
        for dtype in DTYPES:
            # Cast on the host (torch's CPU casts keep subnormals), then copied as they are;
            # everything read back is copied to the host first and widened there.
            host = torch.tensor(point_values(dtype), dtype=torch.float64).to(dtypes[dtype])
            x0 = host.to(device)
            inputs[dtype] = [encode(v) for v in x0.cpu().double().tolist()]
            for spelling, f in spellings.items():

                def run(f: Callable[[Any], Any] = f, x0: Any = x0) -> Any:
                    x = x0.detach().clone().requires_grad_(True)
                    try:
                        y = f(x)
                        values = y.detach().cpu().double().tolist()
                        out_dtype = str(y.dtype).removeprefix("torch.")
                    except Exception as exc:
                        raise _ForwardError(exc) from exc
                    try:
                        y.backward(torch.ones_like(y))
                        if x.grad is None:
                            raise RuntimeError("no gradient reached x")
                        grads = x.grad.cpu().double().tolist()
                    except Exception as exc:
                        raise _BackwardError(exc, out_dtype, values) from exc
                    return out_dtype, values, grads

                rows.append(_row(dtype, spelling, run))
        sections[device] = {
            "device_name": found[device],
            "versions": {
                "torch": torch.__version__,
                "cuda": torch.version.cuda,
                "python": platform.python_version(),
            },
            "config": {},
            "inputs": inputs,
            "rows": rows,
        }
        log(f"torch/{device}: {len(rows)} rows")
    return sections


def probe_jax(devices: Iterable[str]) -> dict[str, Any]:
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    import jax
    import jax.numpy as jnp
    import jaxlib
    import numpy as np

    jax.config.update("jax_enable_x64", True)  # without it, float64 silently becomes float32
    dtypes = {
        "float16": jnp.float16,
        "bfloat16": jnp.bfloat16,
        "float32": jnp.float32,
        "float64": jnp.float64,
    }
    found = {"cpu": (jax.devices("cpu")[0], cpu_name())}
    try:
        gpu = jax.devices("cuda")[0]
        found["cuda"] = (gpu, gpu.device_kind)
    except RuntimeError:
        pass
    spellings = jax_spellings()
    sections = {}
    for device in devices:
        if device not in found:
            continue
        handle, name = found[device]
        rows, inputs = [], {}
        for dtype in DTYPES:
            host = np.asarray(point_values(dtype), dtype=np.float64).astype(dtypes[dtype])
            x0 = jax.device_put(host, handle)
            inputs[dtype] = [encode(v) for v in np.asarray(x0).astype(np.float64).tolist()]
            for spelling, f in spellings.items():

                def run(f: Callable[[Any], Any] = f, x0: Any = x0) -> Any:
                    try:
                        y, pullback = jax.vjp(f, x0)
                        values = np.asarray(y).astype(np.float64).tolist()
                        out_dtype = str(y.dtype)
                    except Exception as exc:
                        raise _ForwardError(exc) from exc
                    try:
                        (g,) = pullback(jnp.ones_like(y))
                        grads = np.asarray(g).astype(np.float64).tolist()
                    except Exception as exc:
                        raise _BackwardError(exc, out_dtype, values) from exc
                    return out_dtype, values, grads

                rows.append(_row(dtype, spelling, run))
        sections[device] = {
            "device_name": name,
            "versions": {
                "jax": jax.__version__,
                "jaxlib": jaxlib.__version__,
                "python": platform.python_version(),
            },
            "config": {"jax_enable_x64": True},
            "inputs": inputs,
            "rows": rows,
        }
        log(f"jax/{device}: {len(rows)} rows")
    return sections


def probe_tensorflow(devices: Iterable[str]) -> dict[str, Any]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # no info lines about oneDNN and CPU flags
    import keras
    import numpy as np
    import tensorflow as tf

    found = {"cpu": ("/CPU:0", cpu_name())}
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        found["cuda"] = ("/GPU:0", str(details.get("device_name", "GPU")))
    dtypes = {"float16": tf.float16, "bfloat16": tf.bfloat16, "float32": tf.float32}
    dtypes["float64"] = tf.float64

    def widen(t: Any) -> list[float]:
        return np.asarray(t.numpy()).astype(np.float64).tolist()  # type: ignore[no-any-return]

    spellings = tensorflow_spellings()
    sections = {}
    for device in devices:
        if device not in found:
            continue
        where, name = found[device]
        rows, inputs = [], {}
        for dtype in DTYPES:
            # TensorFlow's CPU kernels flush subnormals, casts included: the points are made in
            # the dtype on the host (numpy, ml_dtypes) and everything is widened there too.
            host = np.asarray(point_values(dtype), dtype=np.float64)
            with tf.device(where):
                x0 = tf.identity(tf.constant(host.astype(dtypes[dtype].as_numpy_dtype)))
                inputs[dtype] = [encode(v) for v in widen(x0)]
                for spelling, f in spellings.items():

                    def run(f: Callable[[Any], Any] = f, x0: Any = x0) -> Any:
                        try:
                            with tf.GradientTape() as tape:
                                tape.watch(x0)
                                y = f(x0)
                            values = widen(y)
                            out_dtype = y.dtype.name
                        except Exception as exc:
                            raise _ForwardError(exc) from exc
                        try:
                            g = tape.gradient(y, x0, output_gradients=tf.ones_like(y))
                            if g is None:
                                raise LookupError("GradientTape returned None (no gradient)")
                            grads = widen(g)
                        except Exception as exc:
                            raise _BackwardError(exc, out_dtype, values) from exc
                        return out_dtype, values, grads

                    rows.append(_row(dtype, spelling, run))
        sections[device] = {
            "device_name": name,
            "versions": {
                "tensorflow": tf.__version__,
                "keras": keras.__version__,
                "python": platform.python_version(),
            },
            "config": {
                "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "(unset)"),
                "keras_backend": keras.backend.backend(),
            },
            "inputs": inputs,
            "rows": rows,
        }
        log(f"tensorflow/{device}: {len(rows)} rows")
    return sections


PROBES = {"torch": probe_torch, "jax": probe_jax, "tensorflow": probe_tensorflow}


def worker(framework: str, devices: list[str]) -> None:
    """Probe one framework in this process; print {"sections": ...} or {"not_probed": ...}."""
    try:
        sections = PROBES[framework](devices)
    except ImportError as exc:
        print(json.dumps({"not_probed": f"cannot import: {error_text(exc)}"}))
        return
    print(json.dumps({"sections": sections}))


def run_workers(
    devices: list[str], frameworks: Iterable[str] = FRAMEWORKS, verbose: bool = False
) -> dict[str, Any]:
    """Run each framework's probe in its own subprocess; a new record of what they found."""
    date = today()
    record = empty_record()
    for framework in frameworks:
        started = time.monotonic()
        log(f"{framework}: probing on {', '.join(devices)} ...")
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", framework]
        command += ["--devices", ",".join(devices)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        # The framework's own log lines (TensorFlow prints several on every start) are shown
        # with --verbose or when the probe fails; this script's lines always.
        lines = done.stderr.splitlines()
        other = [line for line in lines if not line.startswith("[framework_probe]")]
        shown = lines if verbose or done.returncode else [x for x in lines if x not in other]
        for line in shown:
            print(line, file=sys.stderr)
        if other and not (verbose or done.returncode):
            log(f"{framework}: {len(other)} line(s) of the framework's own log (see --verbose)")
        if done.returncode != 0:
            reason = f"the probe exited with code {done.returncode}"
            tail = done.stderr.strip().splitlines()[-1:] or [""]
            found: dict[str, Any] = {"not_probed": f"{reason}: {tail[0]}"[:ERROR_CHARS]}
        else:
            found = json.loads(done.stdout)
        entry = record["frameworks"].setdefault(framework, {"devices": [], "not_probed": {}})
        if "not_probed" in found:
            for device in devices:
                entry["not_probed"][device] = found["not_probed"]
            log(f"{framework}: not probed ({found['not_probed']})")
            continue
        for device in devices:
            if device in found["sections"]:
                section = {"framework": framework, "device": device, "date": date}
                record["sections"][f"{framework}/{device}"] = section | found["sections"][device]
            else:  # not a fact about the framework: this machine has no such device
                log(f"{framework}: no {device} device on this machine")
        log(f"{framework}: done in {time.monotonic() - started:.1f} s")
    return finish(record)


# --- The record: build, merge, write, read ------------------------------------------------------


def empty_record() -> dict[str, Any]:
    return {
        "$schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "date": today(),
        "points": list(POINTS),
        "dtypes": list(DTYPES),
        "frameworks": {},
        "sections": {},
        "generated_by": "tools/framework_probe.py",
    }


def finish(record: dict[str, Any]) -> dict[str, Any]:
    """Derive the per-framework summary from the sections, sort the rows, set the date."""
    for key, section in record["sections"].items():
        framework, device = key.split("/")
        entry = record["frameworks"].setdefault(framework, {"devices": [], "not_probed": {}})
        if device not in entry["devices"]:
            entry["devices"].append(device)
        entry["not_probed"].pop(device, None)
        order = {d: i for i, d in enumerate(DTYPES)}
        section["rows"].sort(key=lambda row: (order[row[0]], row[1]))
    for entry in record["frameworks"].values():
        entry["devices"].sort(key=DEVICES.index)
        entry["status"] = "probed" if entry["devices"] else "not probed"
    dates = [s["date"] for s in record["sections"].values()]
    record["date"] = max(dates) if dates else today()
    return record


def merge(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The old record with the new record's sections in place of its own; others kept.

    A section whose content is unchanged (apart from its date) keeps its old date.
    """
    if old is None:
        return finish(new)
    merged = json.loads(json.dumps(old))
    for key, section in new["sections"].items():
        before = merged["sections"].get(key)
        if before is not None and _without_date(before) == _without_date(section):
            continue
        merged["sections"][key] = section
    for framework, entry in new["frameworks"].items():
        target = merged["frameworks"].setdefault(framework, {"devices": [], "not_probed": {}})
        for device, reason in entry["not_probed"].items():
            # A section measured earlier (on another machine, say) stays: it is still a
            # measurement; the reason is kept only where nothing was ever measured.
            if f"{framework}/{device}" not in merged["sections"]:
                target["not_probed"][device] = reason
    return finish(merged)


def _without_date(section: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in section.items() if k != "date"}


def dumps(value: Any, indent: int = 0) -> str:
    """JSON with sorted keys, one dict key a line, and each row (a list of lists) a line."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {dumps(value[k], indent + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        lines = [inner + json.dumps(v, ensure_ascii=False, separators=(",", ":")) for v in value]
        return "[\n" + ",\n".join(lines) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def write(record: dict[str, Any], path: Path) -> None:
    validate(record, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(record) + "\n", encoding="utf-8")
    log(f"wrote {path}")


def read(path: Path) -> dict[str, Any]:
    try:
        record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        sys.exit(f"{path}: cannot read the record: {exc}")
    validate(record, path)
    if record.get("schema_version") != SCHEMA_VERSION:
        sys.exit(f"{path}: schema_version {record.get('schema_version')!r}, not {SCHEMA_VERSION}")
    return record


def validate(record: dict[str, Any], path: Path) -> None:
    """Check against docs/data/frameworks.schema.json where jsonschema is installed."""
    try:
        import jsonschema
    except ImportError:
        return
    schema = json.loads((RECORD.parent / SCHEMA_NAME).read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(record)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        sys.exit(f"{path}: not a valid frameworks record at {where}: {error.message}")


# --- The check ---------------------------------------------------------------------------------


def differences(
    recorded: dict[str, Any],
    now: dict[str, Any],
    devices: list[str],
    frameworks: Iterable[str] = FRAMEWORKS,
) -> list[str]:
    """Every way the recorded sections for ``devices`` differ from a fresh run: one line each."""
    found = []
    for framework in frameworks:
        for device in devices:
            key = f"{framework}/{device}"
            old, new = recorded["sections"].get(key), now["sections"].get(key)
            if old is None and new is None:
                continue
            if old is None:
                found.append(f"{key}: probed now, but the record has no such section")
                continue
            if new is None:
                reason = now["frameworks"].get(framework, {}).get("not_probed", {}).get(device, "")
                found.append(f"{key}: recorded, but not probed now ({reason})")
                continue
            found += _section_differences(key, old, new)
    return found


def _section_differences(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    for name in sorted(set(old["versions"]) | set(new["versions"])):
        was, now = old["versions"].get(name), new["versions"].get(name)
        if name != "python" and was != now:
            found.append(f"{key}: version mismatch: {name} recorded {was}, now {now}")
    if old.get("config") != new.get("config"):
        found.append(f"{key}: config recorded {old.get('config')}, now {new.get('config')}")
    for dtype in DTYPES:
        was, now = old["inputs"].get(dtype), new["inputs"].get(dtype)
        if was != now:
            found.append(f"{key}, {dtype}: the inputs as the framework holds them: {was} -> {now}")
    old_rows = {(r[0], r[1]): r for r in old["rows"]}
    new_rows = {(r[0], r[1]): r for r in new["rows"]}
    for cell in sorted(old_rows.keys() - new_rows.keys()):
        found.append(f"{key}, {cell[0]}, {cell[1]}: recorded, but not probed now")
    for cell in sorted(new_rows.keys() - old_rows.keys()):
        found.append(f"{key}, {cell[0]}, {cell[1]}: probed now, but not recorded")
    for cell in sorted(old_rows.keys() & new_rows.keys()):
        a, b = old_rows[cell], new_rows[cell]
        where = f"{key}, {cell[0]}, {cell[1]}"
        if a[2] != b[2]:
            found.append(f"{where}: output dtype: recorded {a[2]}, now {b[2]}")
        for column, name in ((3, "value"), (4, "derivative")):
            was, now = a[column], b[column]
            if isinstance(was, list) and isinstance(now, list) and len(was) == len(POINTS):
                for point, w, n in zip(POINTS, was, now, strict=True):
                    if w != n:
                        found.append(f"{where}, x = {point}, {name}: recorded {w}, now {n}")
            elif was != now:
                found.append(f"{where}, {name}: recorded {was}, now {now}")
    if found and old["device_name"] != new["device_name"]:
        found.append(
            f"{key}: recorded on {old['device_name']!r}, now on {new['device_name']!r}"
            " (results of some operations can depend on the processor's vector instructions)"
        )
    return found


# --- Command line -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", default="cpu,cuda", help="which devices to probe (found ones)")
    parser.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    parser.add_argument("--record", type=Path, default=RECORD, help="the committed record")
    parser.add_argument("--out", type=Path, help="write a new record of this run here instead")
    parser.add_argument("--check", action="store_true", help="compare a CPU run with the record")
    parser.add_argument("--merge", type=Path, help="merge this record's sections into --record")
    parser.add_argument("--verbose", action="store_true", help="show the frameworks' own logs")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    devices = [d for d in args.devices.split(",") if d]
    if unknown := set(devices) - set(DEVICES):
        parser.error(f"unknown device(s) {sorted(unknown)}; known: {', '.join(DEVICES)}")
    frameworks = [f for f in args.frameworks.split(",") if f]
    if unknown := set(frameworks) - set(FRAMEWORKS):
        parser.error(f"unknown framework(s) {sorted(unknown)}; known: {', '.join(FRAMEWORKS)}")

    if args.worker:
        worker(args.worker, devices)
        return 0
    if args.merge:
        old = read(args.record) if args.record.exists() else None
        write(merge(old, read(args.merge)), args.record)
        return 0
    if args.check:
        if not args.record.exists():
            sys.exit(f"{args.record} is missing: run `nox -s frameworks` to write it")
        recorded = read(args.record)
        now = run_workers(["cpu"], frameworks, args.verbose)
        found = differences(recorded, now, ["cpu"], frameworks)
        for line in found:
            print(f"DIFFERS: {line}")
        if found:
            print(
                f"{args.record}: {len(found)} difference(s) from what the installed frameworks do"
                " now. If the change is intended, `nox -s frameworks` rewrites the CPU sections.",
                file=sys.stderr,
            )
            return 1
        log(f"{args.record}: the CPU sections match what the installed versions do")
        return 0
    record = run_workers(devices, frameworks, args.verbose)
    if not record["sections"]:
        log(f"no framework found a device among {', '.join(devices)}: nothing to record")
        return 1
    if args.out:
        write(record, args.out)
    else:
        old = read(args.record) if args.record.exists() else None
        write(merge(old, record), args.record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
