#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drive `pageowner shell` in a pseudo-terminal, as a user would.

check-shell.py PAGEOWNER VMCORE VMLINUX PFN

Checks: tab completion of the depot's pool array ("stack_po" to
"stack_pools", or "stack_sl" to "stack_slabs" before v6.3), and of
options and their values (report --group's keys, also after a comma,
--sort's after a "+", --format's names, rd's whole-word -16); ptype struct
page_owner (on v6.12, its members in the order of mm/page_owner.c and
their C layout; on other kernels, as the one-shot CLI prints it); print
dummy_handle (against the same value read with rd);
lookup of a pfn (against `pageowner lookup` run on its own); an error line
for a bad expression, after which the shell still answers; Ctrl-C during
dump returning to the prompt; the history file (mode 0600) carrying a
command into a second session; and batch mode's exit status.
Prints "N passed, N failed".
"""
import os
import pty
import re
import select
import signal
import stat
import subprocess
import sys
import tempfile
import time

from tap import check, summary

PROMPT = b"pageowner> "


class Session:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        self.buf = b""

    def read_until(self, pattern, timeout=60):
        """Read until @pattern (bytes regex) matches; return what came."""
        end = time.time() + timeout
        while not re.search(pattern, self.buf):
            left = end - time.time()
            if left <= 0:
                raise TimeoutError(self.buf[-400:])
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    raise EOFError(self.buf[-400:])
                self.buf += data
        m = re.search(pattern, self.buf)
        out, self.buf = self.buf[:m.end()], self.buf[m.end():]
        return out

    def settle(self, timeout=30):
        """Read until the shell waits at an empty prompt: the prompt came
        last, and nothing more for half a second (after a completion
        list, readline prints the prompt and the line again)."""
        end = time.time() + timeout
        while True:
            self.read_until(re.escape(PROMPT) + rb"$", end - time.time())
            r, _, _ = select.select([self.fd], [], [], 0.5)
            if not r:
                return

    def send(self, data):
        os.write(self.fd, data)

    def command(self, line, timeout=60):
        """Send a line; return its output up to the next prompt."""
        self.send(line.encode() + b"\r")
        out = self.read_until(re.escape(PROMPT), timeout)
        return out.decode(errors="replace").replace("\r\n", "\n")

    def close(self, timeout=60):
        """quit; a shell that does not exit in time is killed."""
        self.send(b"quit\r")
        end = time.time() + timeout
        while time.time() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            time.sleep(0.2)
        os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        return status


def complete(s, line, tabs, want):
    """Type @line and @tabs TABs; whether readline then echoes or lists
    every regex of @want.  The line is dropped (Ctrl-U) after."""
    s.send(line.encode() + b"\t" * tabs)
    got = b""
    try:
        for w in want:
            got += s.read_until(w.encode(), 10)
        ok = True
    except (TimeoutError, EOFError) as e:
        ok, got = False, got + repr(e).encode()
    s.send(b"\x15\r")
    s.settle()
    return ok, got.decode(errors="replace")


def completion_checks(s, pools):
    """The option tables' values, and the library's key words."""
    cases = [
        # One TAB completes as far as the candidates agree ("stack",
        # "stacktrace"), the next two list them.
        ("report --group st", 1, [r"st\x07?ack"]),
        ("report --format j", 3, [r"j\x07?son", r"json +jsonl"]),
        ("report --format=cs", 1, [r"csv "]),
        ("report --group pid,", 2, [r"pid,allocator", r"pid,tgid"]),
        ("report --cull comm,mod", 1, [r"comm,module "]),
        ("report --sort +pa", 1, [r"\+pages "]),
        ("diff --format ", 2, [r"json +text\s"]),
        ("report --gr", 1, [r"--group "]),
        ("rd -1", 1, [r"-16 "]),
        ("set format ht", 1, [r"html "]),
        ("stacks --show stacks_h", 1, [r"stacks_handles "]),
        ("stacks --show h", 1, [r"handles "]),
    ]
    for line, tabs, want in cases:
        ok, got = complete(s, line, tabs, want)
        check(f"completion of '{line}'", ok, repr(got[-300:]))
    # A symbol completes without a space, so "[0]" (or ".member") may
    # follow it.  The depot's pools variable completes uniquely on every
    # kernel (see the check in main); whatis keeps no $N.
    s.send(b"whatis " + pools[:8].encode() + b"\t")
    try:
        s.read_until(pools[8:].encode(), 10)
        out = s.command("[0]")
    except (TimeoutError, EOFError) as e:
        out = repr(e)
        s.send(b"\x15\r")
        s.settle()
    check(f"completion of {pools} leaves room for [0]",
          out.startswith("[0]\n") and "type = " in out, repr(out[-300:]))
    # --group takes no sort-only key, after a comma or not.
    ok, got = complete(s, "report --group pid,", 2, [r"pid,tgid"])
    check("completion of --group offers no sort-only key",
          ok and "pages" not in got and "alloc_ts" not in got, repr(got))


def check_page_owner_6_12(out):
    """mm/page_owner.c's struct page_owner on v6.12, laid out by C."""
    members = [("order", 0, 2), ("last_migrate_reason", 2, 2),
               ("gfp_mask", 4, 4), ("handle", 8, 4), ("free_handle", 12, 4),
               ("ts_nsec", 16, 8), ("free_ts_nsec", 24, 8), ("comm", 32, 16),
               ("pid", 48, 4), ("tgid", 52, 4), ("free_pid", 56, 4),
               ("free_tgid", 60, 4)]
    got = re.findall(r"/\*\s+(\d+)\s+\|\s+(\d+) \*/\s+.*?(\w+)(?:\[\d+\])?;",
                     out)
    want = [(str(o), str(z), n) for n, o, z in members]
    check("ptype struct page_owner", got == want and
          "total size (bytes):   64" in out, out)


def main():
    pageowner, core, vmlinux, pfn = sys.argv[1:5]
    home = tempfile.mkdtemp()
    # The progress bar has its own checks (progress_checks).
    env = dict(os.environ, HOME=home, TERM="dumb", PAGER="cat",
               INPUTRC="/dev/null", PAGEOWNER_PROGRESS_AFTER="1000")
    argv = [os.path.abspath(pageowner), "-c", core, "-s", vmlinux]

    def cli_out(*args):
        return subprocess.run(argv + list(args), env=env,
                              capture_output=True, text=True).stdout

    release = re.search(r"^release: *(\S+)", cli_out("info"), re.M)
    release = release[1] if release else "?"
    # The depot's pools: stack_pools from v6.3, stack_slabs before.
    pools = "stack_pools" if cli_out("whatis", "stack_pools") else \
        "stack_slabs"
    s = Session(argv, env)
    first = s.read_until(re.escape(PROMPT), 120).decode(errors="replace")
    check("banner: the dump, its release and vmlinux",
          f"(Linux {release})" in first and argv[argv.index("-c") + 1] in
          first and "vmlinux " in first, repr(first[-300:]))
    s.command("set pager off")

    # Completion: readline echoes the rest of the one candidate.
    s.send(b"whatis " + pools[:8].encode() + b"\t")
    echoed = s.read_until(pools.encode(), 30)
    check(f"completion {pools[:8]} -> {pools}", pools.encode() in echoed)
    out = s.command("")
    whatis = cli_out("whatis", pools).strip()
    check("completed line runs", whatis.startswith("type = ") and
          whatis in out, out)
    completion_checks(s, pools)

    out = s.command("ptype struct page_owner")
    if not release.startswith("6.12"):
        theirs = cli_out("ptype", "struct page_owner")
        check(f"ptype struct page_owner ({release}) as the CLI prints it",
              theirs and theirs in out.replace("\r", ""), out)
    else:
        check_page_owner_6_12(out)


    # print dummy_handle, and the same 4 bytes through rd.
    out = s.command("print -x dummy_handle")
    m = re.search(r"dummy_handle = \$1 = 0x([0-9a-f]+)", out)
    rd = s.command("rd -32 &dummy_handle 1")
    r = re.search(r":\s+([0-9a-f]{8})", rd)
    check("print dummy_handle", m and r and int(m.group(1), 16) ==
          int(r.group(1), 16) and int(m.group(1), 16) != 0, out + rd)

    # lookup in the shell equals the one-shot CLI.
    out = s.command(f"lookup pfn:{pfn}")
    cli = subprocess.run(argv + ["lookup", f"pfn:{pfn}"], env=env,
                         capture_output=True, text=True).stdout
    body = out.split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
    check("lookup of a pfn", body == cli and "page_owner" in cli,
          f"shell:\n{body}\ncli:\n{cli}")

    # A bad expression: one error line, and the shell carries on.
    out = s.command("print init_task.no_such_member")
    lines = [ln for ln in out.split("\n")[1:-1] if ln.strip()]
    check("bad expression gives one error line", len(lines) == 1 and
          "no member 'no_such_member'" in lines[0], out)
    out = s.command("print 1 + 2")
    check("shell answers after an error", "$2 = 3" in out, out)

    # Ctrl-C in the middle of a walk.  Stop reading, so that the pty
    # fills and dump blocks mid-walk, then interrupt it.
    s.send(b"dump\r")
    time.sleep(1.5)
    s.send(b"\x03")
    try:
        out = s.read_until(re.escape(PROMPT), 60).decode(errors="replace")
        ok = "interrupted" in out
    except (TimeoutError, EOFError) as e:
        ok, out = False, repr(e)
    check("Ctrl-C during dump returns to the prompt", ok, out[-300:])
    out = s.command("print dummy_handle")
    check("state intact after Ctrl-C", "dummy_handle = $3 = " in out, out)

    # py: a Python prompt with prog bound; Ctrl-C is Python's there, and
    # Ctrl-D comes back to the shell.
    s.send(b"py\r")
    step, out, back = "start", "", ""
    try:
        s.read_until(rb">>> ", 120)
        # Let Python's readline take the terminal before typing.
        time.sleep(0.5)
        step = "print"
        line = b"print('handle', prog['dummy_handle'].value_())\r"
        s.send(line)
        try:
            out = s.read_until(rb">>> ", 20).decode(errors="replace")
        except TimeoutError:
            # Once, in a loaded CI run, this line got no answer at all;
            # if it happens again, say so and type it once more.
            print("note: py: no answer to the first line; typing it again")
            s.send(line)
            out = s.read_until(rb">>> ", 60).decode(errors="replace")
        step = "Ctrl-C"
        time.sleep(0.5)
        s.send(b"\x03")
        out += s.read_until(rb">>> ", 60).decode(errors="replace")
        step = "Ctrl-D"
        time.sleep(0.5)
        s.send(b"\x04")
        s.read_until(re.escape(PROMPT), 60)
        back = s.command("print dummy_handle")
    except (TimeoutError, EOFError) as e:
        out += f" [timed out at {step}: {e!r}]"
        # Leave Python, so that the shell can quit below.
        s.send(b"\x04")
        time.sleep(2)
    m = re.search(r"handle (\d+)", out)
    m2 = re.search(r"dummy_handle = \$4 = (\d+)", back)
    check("py: prog bound, Ctrl-C stays in Python, Ctrl-D returns",
          m and m2 and m[1] == m2[1] and "KeyboardInterrupt" in out,
          out + back)
    status = s.close()
    check("first session exits 0", os.WIFEXITED(status), str(status))

    hist = os.path.join(home, ".pageowner_history")
    mode = stat.S_IMODE(os.stat(hist).st_mode) if os.path.exists(hist) else 0
    check("history file has mode 0600", mode == 0o600, oct(mode))

    # Second session: Up arrow brings back the last command.
    s = Session(argv, env)
    s.read_until(re.escape(PROMPT), 120)
    s.send(b"\x1b[A")
    echoed = s.read_until(rb"print dummy_handle", 30)
    check("history persists across sessions", b"print dummy_handle" in echoed)
    out = s.command("")
    check("recalled command runs", "dummy_handle = $1 = " in out, out)
    s.close()

    # Batch mode, as crash -i: exit status 1 when a command failed.
    script = "print dummy_handle\nprint no_such_symbol\n"
    r = subprocess.run(argv + ["shell"], input=script, env=env,
                       capture_output=True, text=True)
    check("batch mode: failing script exits non-zero", r.returncode == 1 and
          "dummy_handle = $1" in r.stdout and
          "no_such_symbol" in r.stderr, r.stderr)
    r = subprocess.run(argv, input="print dummy_handle\n", env=env,
                       capture_output=True, text=True)
    check("batch mode: good script exits 0", r.returncode == 0, r.stderr)

    progress_checks(argv, env)

    return summary()


def run_in_pty(argv, env):
    """Run @argv with stdout and stderr on a terminal; return all it wrote."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = b""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        out += data
    os.waitpid(pid, 0)
    return out


def progress_checks(argv, env):
    """The walk's progress bar: only on a terminal, only without -q, and
    erased at the end.  A delay of 0 shows it even on a fast walk, if the
    walk reports progress before it ends: with -j 1 it does, at every
    chunk, in the walking thread.  With more threads the caller reports
    the chunks it sees done, and on a loaded machine the workers could
    finish them all before it ran again (seen once in CI): no bar, rightly,
    for a walk that was over before it could show one."""
    cmd = ["-j", "1", "stacks", "--from-walk"]
    env = dict(env, PAGEOWNER_PROGRESS_AFTER="0")
    out = run_in_pty(argv + cmd, env)
    bar = re.search(rb"\r\[#* *\] +\d+% \d+/(\d+) pages, ETA \d+s", out)
    check("progress bar on a terminal", bar and b"\r\x1b[K" in
          out[bar.end():], repr(out[:200]))
    # dump prints as it walks: on one terminal, each bar starts a line of
    # its own and is gone (erased, or drawn again) before output follows.
    out = run_in_pty(argv + ["-j", "1", "dump"], env)
    bars = list(re.finditer(rb"\r\[#* *\] +\d+% \d+/\d+ pages, ETA \d+s"
                            rb"\x1b\[K", out))
    shared = [m.start() for m in bars
              if not (m.start() == 0 or out[m.start() - 1] == ord("\n") or
                      out[:m.start()].endswith(b"\x1b[K")) or
              not out[m.end():].startswith(b"\r")]
    check(f"progress bar and output never share a line ({len(bars)} bars "
          f"during dump)", bars and not shared,
          repr(out[max(0, shared[0] - 80):shared[0] + 120]) if shared
          else "no bar")
    out = run_in_pty(argv[:1] + ["-q"] + argv[1:] + cmd, env)
    check("-q: no progress bar", b"ETA" not in out and b"\r\x1b[K" not in
          out, repr(out[:200]))
    r = subprocess.run(argv + cmd, env=env, capture_output=True)
    check("no progress bar when stderr is not a terminal",
          r.returncode == 0 and b"ETA" not in r.stderr, repr(r.stderr[:200]))


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    sys.exit(main())
