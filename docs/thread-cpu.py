import os, sys, time, json, collections
# samples per-thread CPU (utime+stime) of the window JVM and total CPU of Xvfb until the JVM exits; prints the last
tick = os.sysconf('SC_CLK_TCK')
def find(pattern):
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                cmd = open(f'/proc/{p}/cmdline','rb').read().replace(b'\0',b' ').decode()
            except Exception:
                continue
            if pattern in cmd and 'threadcpu' not in cmd and cmd.split(' ')[0].endswith(('java', 'Xvfb')):
                return int(p)
    return None
jvm = None
while jvm is None:
    jvm = find('io.otprune.ui.Workbench'); time.sleep(0.5)
time.sleep(3)
xvfb = find('Xvfb :')
last = None; lastx = None
best = {}
while os.path.exists(f'/proc/{jvm}'):
    snap = collections.Counter()
    try:
        for t in os.listdir(f'/proc/{jvm}/task'):
            try:
                st = open(f'/proc/{jvm}/task/{t}/stat').read()
            except Exception:
                continue
            name = st[st.index('(')+1:st.rindex(')')]
            f = st[st.rindex(')')+2:].split()
            best[t] = (name, max(best.get(t, ('', 0))[1], (int(f[11]) + int(f[12])) / tick))
        if xvfb:
            f = open(f'/proc/{xvfb}/stat').read(); f = f[f.rindex(')')+2:].split()
            lastx = (int(f[11]) + int(f[12])) / tick
        last = snap
    except Exception:
        pass
    time.sleep(1)
agg = collections.Counter()
for name, v in best.values():
    agg[name] += v
top = sorted(agg.items(), key=lambda kv: -kv[1])
print(json.dumps({"jvmThreadsCpuSeconds": {k: round(v, 1) for k, v in top if v >= 0.3}, "xvfbCpuSeconds": lastx}, indent=1))
