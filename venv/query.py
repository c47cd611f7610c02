# Prints, as one JSON object, what pylock needs to know about this interpreter.
# Runs under any Python that has json and sysconfig; keep it free of newer syntax.
import sys

sys.path = [p for p in sys.path if p not in ("", ".")]

import json
import os
import platform
import sysconfig


def full_version(info):
    v = "%d.%d.%d" % (info[0], info[1], info[2])
    if info[3] != "final":
        v += info[3][0] + str(info[4])
    return v


def scheme_paths():
    base = "/@PYLOCK_BASE@"
    names = sysconfig.get_scheme_names()
    if "venv" in names:
        scheme = "venv"
    elif os.name == "nt":
        scheme = "nt"
    else:
        scheme = "posix_prefix"
    keys = {"base": base, "platbase": base, "installed_base": base, "installed_platbase": base}
    paths = sysconfig.get_paths(scheme=scheme, vars=keys, expand=True)
    out = {}
    for k in ("purelib", "platlib", "scripts", "data", "include"):
        p = paths.get(k, base)
        out[k] = os.path.relpath(p, base).replace(os.sep, "/")
    return out


def glibc():
    try:
        s = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, OSError, ValueError):
        s = None
    if s and s.startswith("glibc "):
        return s.split(" ", 1)[1]
    return ""


def musl():
    if not sys.platform.startswith("linux") or glibc():
        return ""
    import glob
    import subprocess
    for loader in sorted(glob.glob("/lib/ld-musl-*.so.1")):
        try:
            p = subprocess.Popen([loader], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            err = p.communicate()[1].decode("utf-8", "replace")
        except OSError:
            continue
        for line in err.splitlines():
            if line.startswith("Version "):
                return line.split(" ", 1)[1].strip()
    return ""


def config(name):
    v = sysconfig.get_config_var(name)
    if v is None:
        return ""
    return str(v)


impl = getattr(sys, "implementation", None)
impl_name = impl.name if impl else platform.python_implementation().lower()
impl_version = full_version(impl.version) if impl else full_version(sys.version_info)
mac = ""
if sys.platform == "darwin":
    mac = platform.mac_ver()[0]

print(json.dumps({
    "executable": sys.executable,
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "base_prefix", sys.prefix),
    "version_info": list(sys.version_info[:3]),
    "full_version": platform.python_version(),
    "implementation": impl_name,
    "markers": {
        "os_name": os.name,
        "sys_platform": sys.platform,
        "platform_machine": platform.machine(),
        "platform_python_implementation": platform.python_implementation(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "python_full_version": platform.python_version(),
        "implementation_name": impl_name,
        "implementation_version": impl_version,
    },
    "platform": sysconfig.get_platform(),
    "pointer_bits": 64 if sys.maxsize > 2 ** 32 else 32,
    "soabi": config("SOABI"),
    "ext_suffix": config("EXT_SUFFIX"),
    "py_debug": config("Py_DEBUG"),
    "gil_disabled": config("Py_GIL_DISABLED"),
    "pymalloc": config("WITH_PYMALLOC"),
    "glibc": glibc(),
    "musl": musl(),
    "macos": mac,
    "paths": scheme_paths(),
}))
