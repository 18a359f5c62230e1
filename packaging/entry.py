"""The bundle's one executable: `callcenter` with no arguments opens the desktop; with
arguments it is the `callcenter` command (`callcenter gui`, `callcenter db upgrade`,
`callcenter pop tel:...`). `--self-test` checks the install like `callcenter gui --self-test`.

`-m MODULE ARGS` runs one of the app's modules, as `python -m` would: `callcenter gui` and the
GUI benchmark start the desktop that way through `sys.executable`, which is this executable.
"""

from __future__ import annotations

import multiprocessing
import runpy
import sys

GUI_OPTIONS = ("--self-test", "--login")
# Hidden: start one spawned worker process and print its pid (tests/test_packaging.py).
CHECK_WORKER = "--check-worker-process"


def check_worker_process() -> None:
    import os
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        child = pool.submit(os.getpid).result(timeout=60)
    print(f"worker process {child} (this one {os.getpid()})")


def main() -> None:
    # A worker process (demo data, imports: spawned) runs this executable too: let it work.
    multiprocessing.freeze_support()
    args = sys.argv[1:]
    if args == [CHECK_WORKER]:
        check_worker_process()
        return
    if args[:1] == ["-m"] and len(args) >= 2:
        module, rest = args[1], args[2:]
        sys.argv = [sys.argv[0], *rest]
        if module == "ui":
            from ui.app import main as gui

            gui(rest)
        elif module == "callcenter":
            from callcenter.cli.main import main as command

            command()
        else:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        return
    if not args or args[0].split("=")[0] in GUI_OPTIONS:
        from ui.app import main as gui

        gui(args)
        return
    from callcenter.cli.main import main as command

    command()


if __name__ == "__main__":
    main()
