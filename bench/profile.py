#!/usr/bin/env python3
"""Breakdown of collapsed stacks (async-profiler -o collapsed) by category and by top frame.
A sample counts for the first category (in the order below) any frame of its stack matches."""
import collections, re, sys

CATEGORIES = [  # (name, regex over a frame); first match along the stack, leaf to root
    ("GC", r"^(SerialHeap|GenCollectedHeap|DefNewGeneration|TenuredGeneration|G1|VM_GC|GCTaskThread|.*Collector::collect)"),
    ("JIT compiler", r"^(C2Compiler|Compile::|C1_|Compiler::compile|CompileBroker)"),
    ("RSA/EC signing (native)", r"(conscrypt|NativeCrypto|boringssl)"),
    ("signing/verifying (Java: Nimbus, JDK crypto)", r"(com/nimbusds/jose|sun/security|java/security|BigInteger|MessageDigest|javax/crypto)"),
    ("SQLite", r"(org/sqlite|sqlite3|libsqlitejdbc)"),
    ("store (Hikari, Signet JDBC)", r"(com/zaxxer/hikari|dev/signet/store)"),
    ("observation (OTel spans, metrics, MDC, logging)", r"(io/opentelemetry|io/micrometer|dev/signet/observe|ch/qos/logback|net/logstash|org/slf4j)"),
    ("JSON", r"(tools/jackson|com/fasterxml|dev/signet/web/Json|net/minidev|com/nimbusds/jose/util/JSON)"),
    ("pages (jte)", r"(gg/jte|dev/signet/web/pages|gg/jte/generated)"),
    ("rate limits", r"(bucket4j|dev/signet/ratelimit)"),
]
# otherwise the leaf-most frame of these decides (kernel frames under them: their system calls)
LEAF = [("virtual thread scheduling (park, unpark, mount)", r"^(java/util/concurrent/ForkJoin|jdk/internal/vm/Continuation|java/lang/VirtualThread|jdk/internal/misc/Unsafe\.(park|unpark))"),
        ("HTTP (Helidon)", r"^io/helidon"), ("Signet code", r"^dev/signet"),
        ("JDK (socket I/O, collections, strings)", r"^(java|jdk|sun)/")]

def leaf(frames):
    for f in reversed(frames):
        for name, rx in LEAF:
            if re.search(rx, f):
                return name
    return "kernel, native (no Java frame)"

def main(path):
    total = 0
    cats = collections.Counter()
    tops = collections.Counter()
    for line in open(path):
        stack, _, n = line.rstrip().rpartition(" ")
        n = int(n)
        total += n
        frames = stack.split(";")
        tops[frames[-1]] += n
        for name, rx in CATEGORIES:
            if any(re.search(rx, f) for f in frames):
                cats[name] += n
                break
        else:
            cats[leaf(frames)] += n
    print(f"{total} samples; without the JIT compiler:")
    jit = cats.get("JIT compiler", 0)
    for name, n in cats.most_common():
        if name != "JIT compiler":
            print(f"{100.0 * n / (total - jit):5.1f}%  {name}")
    print("all samples:")
    for name, n in cats.most_common():
        print(f"{100.0 * n / total:5.1f}%  {name}")
    print("top frames:")
    for f, n in tops.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 25):
        print(f"{100.0 * n / total:5.1f}%  {f[:140]}")

main(sys.argv[1])
