# SPDX-License-Identifier: GPL-3.0-or-later
"""The C extension of pyproject.toml: python/*.c over libpageowner.a,
which make builds into the build folder first."""
import glob
import os
import re
import shlex
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
PKGS = "libdw libelf libkdumpfile libaddrxlat libdeflate lzo2 libzstd snappy"


def version():
    with open(os.path.join(HERE, "include", "pageowner.h")) as f:
        return re.search(r'#define PO_VERSION_STRING "([^"]+)"', f.read())[1]


def pkg_config(flag):
    out = subprocess.run(["pkg-config", flag, *PKGS.split()], check=True,
                         capture_output=True, text=True).stdout
    return shlex.split(out)


class BuildExt(build_ext):
    def run(self):
        lib_build = os.path.abspath(os.path.join(self.build_temp, "make"))
        subprocess.run(["make", "-C", HERE, "BUILD=" + lib_build,
                        lib_build + "/libpageowner.a"], check=True)
        for ext in self.extensions:
            ext.extra_objects = [lib_build + "/libpageowner.a"]
        super().run()


# Everything setuptools writes goes under build/, which git ignores: its
# egg-info too.
os.makedirs(os.path.join("build", "egg-info"), exist_ok=True)

setup(
    version=version(),
    options={"egg_info": {"egg_base": os.path.join("build", "egg-info")}},
    ext_modules=[
        Extension(
            "pageowner",
            sources=sorted(glob.glob("python/*.c")),
            include_dirs=["include"],
            depends=glob.glob("python/*.h") + ["include/pageowner.h"],
            extra_compile_args=["-std=gnu11", "-fvisibility=hidden",
                                "-D_FILE_OFFSET_BITS=64"],
            extra_link_args=pkg_config("--libs") + ["-pthread"],
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
