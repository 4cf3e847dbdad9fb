"""Turns bench/run.sh's measurements into a table of medians and ratios (ratios first)."""
import json, os, platform, re, subprocess, sys, time

w = sys.argv[1]

def med(name):
    p = os.path.join(w, name + ".json")
    return json.load(open(p))["results"][0]["median"] if os.path.exists(p) else None

ms = lambda s: f"{s * 1000:.2f} ms" if s else "n/a"
ratio = lambda a, b: f"{a / b:.2f}x" if a and b else "n/a"
inproc = open(os.path.join(w, "inproc.txt")).read()
full = os.path.exists(os.path.join(w, "startup.json"))  # not with BATCH_ONLY=1
oneshot = json.load(open(os.path.join(w, "startup.json"))) if full else {}
one = oneshot.get
floor = one("floor")
raw_rs = float(re.search(r"aws-lc RS256 verify \(raw\)\s+[\d.]+ µs/op\s+(\d+) op/s", inproc).group(1))
raw_all = float(re.search(r"aws-lc RS256 verify \(raw, \d+ threads\)\s+[\d.]+ µs/op\s+(\d+) op/s", inproc).group(1))
rs_rate = 20000 / med("batch_rs")
hs_rate = 100000 / med("batch_hs")
dec_rate = 20000 / med("batch_decode")
py = os.path.join(w, "pyjwt.txt")
py_rate = float(open(py).read()) if os.path.exists(py) else None
loop = med("jwtcli_loop")
loop_rate = 200 / loop if loop else None
rss = [int(x) for x in open(os.path.join(w, "rss.txt")).read().split()] if full else []
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")

BATCH = os.environ.get("BATCH_RUNS", "7")
print(f"jwtctl benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}")
if full:
    print()
    print("Ratios")
    print(f"  batch RS256 verify / single-core aws-lc verify rate : {rs_rate / raw_rs:.2f}x  (target >= 1.6x)")
    print(f"  batch RS256 verify / aws-lc on every core at once   : {rs_rate / raw_all:.2f}x  (the hardware ceiling: {raw_all / raw_rs:.2f}x one core)")
    if py_rate:
        print(f"  batch RS256 verify / PyJWT in-process              : {rs_rate / py_rate:.1f}x  (target >= 5x)")
    if loop_rate:
        print(f"  batch RS256 verify / jwt-cli shell loop            : {rs_rate / loop_rate:.0f}x")
    ONESHOT = [("sign_hs", "sign HS256"), ("sign_rs", "sign RS256"), ("sign_rs_noexp", "sign RS256 no exp"), ("verify_rs", "verify RS256"), ("decode", "decode")]
    sh_floor = one("sh_floor")
    print("  one-shot / process floor: spawned directly (true), and through sh -c as shared/research/perf.md")
    print("  measured its reference (sh -c true); target <= 1.5x. jwt-cli / jwtctl: target > 1x")
    for name, label in ONESHOT:
        line = f"    {label:<18}: {ratio(one(name), floor)} direct, {ratio(one('sh_' + name), sh_floor)} via sh -c (dynamic build {ratio(one('dynamic_' + name), floor)} direct)"
        cli = one("jwtcli_" + name)
        if cli:
            line += f";  jwt-cli / jwtctl {ratio(cli, one(name))}"
        print(line)
    print()
    print("Medians")
    print(f"  process floor (true)        {ms(floor)}   sh -c true {ms(sh_floor)}   (one-shot commands interleaved, bench/startup.py)")
    for name, label in ONESHOT:
        print(f"  jwtctl {label:<20} {ms(one(name)):>10}   via sh -c {ms(one('sh_' + name)):>10}   dynamic build {ms(one('dynamic_' + name)):>10}   jwt-cli {ms(one('jwtcli_' + name)):>10}")
    print(f"  batch RS256 verify          {rs_rate:>10.0f} tokens/s   (aws-lc single core {raw_rs:.0f}/s)")
    print(f"  batch HS256 verify          {hs_rate:>10.0f} tokens/s   (target >= 300000)")
    print(f"  batch decode                {dec_rate:>10.0f} tokens/s")
    if py_rate:
        print(f"  PyJWT RS256 in-process      {py_rate:>10.0f} tokens/s")
    if loop_rate:
        print(f"  jwt-cli shell loop RS256    {loop_rate:>10.0f} tokens/s")
    raw_keygen = float(re.search(r"RSA-2048 keygen \(aws-lc, one search\)\s+([\d.]+) µs/op", inproc).group(1)) / 1e6
    print(f"  RSA-2048 keygen (process)   {ms(med('keygen')):>10}   (target <= 80 ms; one aws-lc search in-process {ms(raw_keygen)}, ratio {ratio(med('keygen'), raw_keygen)})")
    print(f"  peak RSS sign/verify/decode {rss[0] / 1024:.1f} / {rss[1] / 1024:.1f} / {rss[2] / 1024:.1f} MiB (target <= 6); batch 20k: {rss[3] / 1024:.1f} MiB")
if not full:
    print()
    print("Batch verification (BATCH_ONLY=1: no one-shot, keygen or memory figures)")
    print(f"  batch RS256 verify          {rs_rate:>10.0f} tokens/s   {rs_rate / raw_rs:.2f}x aws-lc on one core ({raw_rs:.0f}/s), {rs_rate / raw_all:.2f}x on every core ({raw_all:.0f}/s)")
    print(f"  batch HS256 verify          {hs_rate:>10.0f} tokens/s   (target >= 300000)")
    print(f"  batch decode                {dec_rate:>10.0f} tokens/s")
    if py_rate:
        print(f"  PyJWT RS256 in-process      {py_rate:>10.0f} tokens/s   (batch / PyJWT {rs_rate / py_rate:.1f}x, target >= 5x)")

def rate_of(name):
    p = os.path.join(w, name)
    return float(open(p).read()) if os.path.exists(p) else None

def inproc_rate(label):
    m = re.search(re.escape(label) + r"\s+[\d.]+ µs/op\s+(\d+) op/s", inproc)
    return float(m.group(1)) if m else None

load = open(os.path.join(w, "load.txt")).read().strip() if os.path.exists(os.path.join(w, "load.txt")) else "?"
print()
print(f"Signing: sign --batch against raw aws-lc signing on every core at once (measured between the")
print(f"batch runs) and PyJWT in-process; tokens/s, medians of {BATCH} runs")
print(f"  load when the sign runs ended: {load}")
print(f"  {'alg':<6} {'sign --batch':>13} {'aws-lc, 1 core':>15} {'aws-lc, all cores':>18} {'batch / all cores':>18} {'PyJWT':>10} {'batch / PyJWT':>14}")
import statistics
for name, alg, target in [("es256", "ES256", ">= 3x"), ("eddsa", "EdDSA", ">= 3x"), ("hs256", "HS256", ">= 10x"), ("rs256", "RS256", "")]:
    runs_p = os.path.join(w, f"sign_batch_{name}.runs")
    if not os.path.exists(runs_p):
        continue
    rates = [int(c) / (int(ns) / 1e9) for c, ns in (l.split() for l in open(runs_p))]
    ceil = open(os.path.join(w, f"ceiling_{name}.txt")).read()
    one_c = [float(x) for x in re.findall(r"sign \(raw\)\s+[\d.]+ µs/op\s+(\d+) op/s", ceil)]
    all_c = [float(x) for x in re.findall(r"sign \(raw, \d+ threads\)\s+[\d.]+ µs/op\s+(\d+) op/s", ceil)]
    batch, one, every = statistics.median(rates), statistics.median(one_c), statistics.median(all_c)
    per_round = statistics.median(r / c for r, c in zip(rates, all_c))
    py = rate_of(f"pyjwt_sign_{name}.txt")
    f = lambda x: f"{x:,.0f}" if x else "n/a"
    print(f"  {alg:<6} {f(batch):>13} {f(one):>15} {f(every):>18} {ratio(batch, every):>18} {f(py):>10} {ratio(batch, py):>14}")
    print(f"         (median of per-round ratios {per_round:.2f}x; batch runs {min(rates):,.0f}-{max(rates):,.0f}/s; targets: >= 0.80x of all cores, PyJWT {target or 'n/a'})")
c = med("sign_count")
crss = os.path.join(w, "sign_count_rss.txt")
crss = int(open(crss).read().split()[0]) if os.path.exists(crss) else None
print(f"  sign --count 1000000 HS256: {c:.2f} s ({1e6 / c:,.0f} tokens/s; target < 5 s), peak RSS {crss / 1024:.1f} MiB (target <= 8)" if c and crss else "  sign --count: n/a")
print()
print("In-process (cargo bench --bench inproc, one thread)")
print("\n".join("  " + l for l in inproc.strip().splitlines()))
