"""Run one PEP 517 hook for pylock in the source tree (the working directory).

argv: the hook (get_requires_for_build_wheel, build_wheel,
get_requires_for_build_editable or build_editable), the output
directory, the build-backend, then the backend-path entries. The hook's
result goes to stdout as its last line ("\x1f"-separated requirements, or the
wheel's file name); anything the backend prints goes to stderr.
"""
import importlib
import os
import sys


def load(spec, paths):
    for p in reversed(paths):
        sys.path.insert(0, os.path.abspath(p))
    mod, _, obj = spec.partition(":")
    backend = importlib.import_module(mod)
    for attr in filter(None, obj.split(".")):
        backend = getattr(backend, attr)
    return backend


def main():
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # PEP 517: the source tree is not on sys.path
    hook, out, spec, paths = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    stdout, sys.stdout = sys.stdout, sys.stderr
    backend = load(spec, paths)
    fn = getattr(backend, hook, None)
    if hook.startswith("get_requires_for_"):
        result = "\x1f".join(fn({}) if fn else [])
    elif fn is None:
        raise SystemExit("the backend %s has no %s hook" % (spec, hook))
    else:
        result = fn(out, {})
    stdout.write("\n" + result + "\n")
    stdout.flush()


main()
