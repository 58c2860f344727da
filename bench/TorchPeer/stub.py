"""A stand-in libstdc++.so.6 for TorchSharp-cpu 0.107 on a system whose libstdc++ stops before
GLIBCXX_3.4.32 (Debian 12), for measurement only: it declares every version node of the real
library plus 3.4.31 and 3.4.32, defines an empty std::ios_base_library_init() (the real library
sets up iostreams itself) and needs the real library by its full path, which resolves every other
symbol. Preloaded into the TorchSharp process alone. Usage: stub.py REAL_LIBSTDCXX OUT_DIR."""
import re, subprocess, sys

real, out = sys.argv[1], sys.argv[2]
symbols = subprocess.run(["objdump", "-T", real], capture_output=True, text=True, check=True).stdout
nodes = sorted(set(re.findall(r"(GLIBCXX_[0-9.]+|CXXABI_[0-9.A-Z_]+)", symbols)) - {"GLIBCXX_3.4.31", "GLIBCXX_3.4.32"})
nodes += ["GLIBCXX_3.4.31", "GLIBCXX_3.4.32"]
script, code = [], []
for i, node in enumerate(nodes):
    extra = " _ZSt21ios_base_library_initv;" if node == "GLIBCXX_3.4.32" else ""
    script.append(f"{node} {{ global: stub_node_{i};{extra} }};")
    code.append(f"void stub_node_{i}(void) {{}}")
code.append("void _ZSt21ios_base_library_initv(void) {}")
with open(f"{out}/stub.map", "w") as f:
    f.write("\n".join(script) + "\n")
with open(f"{out}/stub.c", "w") as f:
    f.write("\n".join(code) + "\n")
with open(f"{out}/real.c", "w") as f:
    f.write("void stub_real_marker(void) {}\n")
# a library whose soname is the real library's full path, so that the stub's DT_NEEDED names the
# file itself: by its soname libstdc++.so.6 the loader would find the stub again
subprocess.run(["gcc", "-shared", "-fPIC", "-o", f"{out}/libstdcxx-real.so", f"{out}/real.c", f"-Wl,-soname,{real}"], check=True)
subprocess.run(["gcc", "-shared", "-fPIC", "-o", f"{out}/libstdc++.so.6", f"{out}/stub.c", f"-Wl,--version-script={out}/stub.map",
                "-Wl,-soname,libstdc++.so.6", "-Wl,--no-as-needed", f"-L{out}", "-lstdcxx-real"], check=True)
