#!/usr/bin/env python3
"""Checks a FedCredit image tarball without a container engine.

    docker/smoke-test-image.py cli/target/fedcredit-image.tar [--keep DIR] [--no-run]

1. Structure: manifest.json names one image with a tag, its config and layers; every layer blob's
   sha256 matches its file name and its uncompressed sha256 matches the config's diff_id; the
   config has an entrypoint, a user and a working directory; no layer has whiteout files.
2. Filesystem: the layers, unpacked in order, contain the entrypoint's executable, the ELF loader,
   every classpath entry of /app/jib-classpath-file, /tmp with mode 1777 and a working directory
   owned by the image's user.
3. Run (as root, with unshare): in a new mount and PID namespace with /proc mounted, chroot into
   the unpacked filesystem as the image's user, in its working directory, with exactly the
   image's environment, and run
     - the entrypoint with --version,
     - the entrypoint with 'demo pooled-statistics --json' (three banks, 2048-bit Paillier, one
       process; must report verified),
     - the JVM's properties (file and path encodings must be UTF-8),
     - the container health check (HealthProbe) against a /health answering 200, then 503, then
       a closed port (exit codes 0, 1, 1).
   What this does not check: cgroup limits, the network namespace and the image's behaviour under
   Docker's or Podman's own runtime.

Exit code 0 when every check passed; 1 with the failing check otherwise. Python 3.8+, stdlib only.
"""

import argparse
import gzip
import hashlib
import http.server
import io
import json
import re
import os
import shutil
import socket
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading

ELF_LOADER = "/lib64/ld-linux-x86-64.so.2"


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def step(message):
    print("smoke-test: " + message, flush=True)


def read_member(archive, name):
    member = archive.extractfile(name)
    check(member is not None, "image tarball has no file '%s'" % name)
    return member.read()


def verify_structure(image_tar):
    with tarfile.open(image_tar) as archive:
        manifest = json.loads(read_member(archive, "manifest.json"))
        check(isinstance(manifest, list) and len(manifest) == 1,
              "manifest.json must describe exactly one image, found %d" % len(manifest))
        entry = manifest[0]
        check(entry.get("RepoTags"), "manifest.json has no RepoTags (docker load would leave the image untagged)")
        config = json.loads(read_member(archive, entry["Config"]))
        diff_ids = config["rootfs"]["diff_ids"]
        layers = entry["Layers"]
        check(len(layers) == len(diff_ids),
              "manifest lists %d layers but the config has %d diff_ids" % (len(layers), len(diff_ids)))
        for layer, diff_id in zip(layers, diff_ids):
            blob = read_member(archive, layer)
            digest = hashlib.sha256(blob).hexdigest()
            named = re.match(r"^([0-9a-f]{64})\.", os.path.basename(layer))
            if named:
                check(named.group(1) == digest,
                      "layer %s: blob sha256 is %s, not its name" % (layer, digest))
            raw = gzip.decompress(blob) if blob[:2] == b"\x1f\x8b" else blob
            actual = "sha256:" + hashlib.sha256(raw).hexdigest()
            check(actual == diff_id, "layer %s: uncompressed %s but the config says %s" % (layer, actual, diff_id))
            with tarfile.open(fileobj=io.BytesIO(raw)) as layer_tar:
                whiteouts = [m.name for m in layer_tar.getmembers() if os.path.basename(m.name).startswith(".wh.")]
            check(not whiteouts, "layer %s has whiteout files %s; this check unpacks layers naively" % (layer, whiteouts[:3]))
        cfg = config.get("config", {})
        check(cfg.get("Entrypoint"), "the image config has no Entrypoint")
        check(cfg.get("User"), "the image config has no User (the image would run as root)")
        check(cfg.get("WorkingDir"), "the image config has no WorkingDir")
        step("structure ok: %s, %d layers, entrypoint %s, user %s"
             % (entry["RepoTags"][0], len(layers), " ".join(cfg["Entrypoint"]), cfg["User"]))
        return entry, config


def unpack(image_tar, entry, root):
    with tarfile.open(image_tar) as archive:
        for layer in entry["Layers"]:
            blob = read_member(archive, layer)
            # GNU tar keeps numeric owners and modes exactly (as root), like a container engine.
            # Jib's layers carry libarchive's creation-time PAX keyword, which GNU tar reports and skips.
            compression = ["-z"] if blob[:2] == b"\x1f\x8b" else []
            subprocess.run(["tar", "-x", "-C", root, "--numeric-owner", "--warning=no-unknown-keyword"]
                           + compression + ["-f", "-"], input=blob, check=True)


def in_root(root, path):
    return os.path.join(root, path.lstrip("/"))


def verify_filesystem(root, config):
    cfg = config["config"]
    java = cfg["Entrypoint"][0]
    check(os.path.isfile(in_root(root, java)) and os.access(in_root(root, java), os.X_OK),
          "the entrypoint executable %s is not an executable file in the image" % java)
    check(os.path.isfile(in_root(root, ELF_LOADER)), "the ELF loader %s is missing" % ELF_LOADER)
    classpath_file = in_root(root, "/app/jib-classpath-file")
    check(os.path.isfile(classpath_file), "/app/jib-classpath-file is missing")
    entries = open(classpath_file).read().strip().split(":")
    jars = 0
    for path in entries:
        if path.endswith("/*"):
            directory = in_root(root, path[:-2])
            check(os.path.isdir(directory), "classpath directory %s is missing" % path)
            jars += len([f for f in os.listdir(directory) if f.endswith(".jar")])
        else:
            check(os.path.exists(in_root(root, path)), "classpath entry %s is missing" % path)
            jars += path.endswith(".jar")
    tmp = os.stat(in_root(root, "/tmp"))
    check(stat.S_IMODE(tmp.st_mode) == 0o1777, "/tmp has mode %o, not 1777" % stat.S_IMODE(tmp.st_mode))
    uid, gid = (int(x) for x in cfg["User"].split(":"))
    workdir = os.stat(in_root(root, cfg["WorkingDir"]))
    check(workdir.st_uid == uid, "%s is owned by uid %d, not the image user %d" % (cfg["WorkingDir"], workdir.st_uid, uid))
    step("filesystem ok: %d classpath entries (%d jars), loader, /tmp 1777, %s owned by %d"
         % (len(entries), jars, cfg["WorkingDir"], uid))


class Health(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        body = json.dumps({"status": "UP" if Health.status == 200 else "DOWN", "party": "smoke", "checks": {}}).encode()
        self.send_response(Health.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def run_in_image(root, config, argv, timeout=300):
    """Runs argv inside the unpacked image: own mount+PID namespaces, /proc, chroot, user, env."""
    cfg = config["config"]
    uid, gid = (int(x) for x in cfg["User"].split(":"))
    os.makedirs(in_root(root, "/proc"), exist_ok=True)
    inner = ("import json,os,sys; os.chroot(sys.argv[1]); os.chdir(sys.argv[2]); os.setgroups([]); "
             "os.setgid(int(sys.argv[4])); os.setuid(int(sys.argv[3])); "
             "env=dict(e.split('=',1) for e in json.loads(sys.argv[5])); "
             "os.execve(sys.argv[6], sys.argv[6:], env)")
    command = ["unshare", "--mount", "--pid", "--fork", "--mount-proc=" + in_root(root, "/proc"),
               sys.executable, "-c", inner, root, cfg["WorkingDir"], str(uid), str(gid),
               json.dumps(cfg.get("Env", []))] + argv
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def verify_runs(root, config):
    entrypoint = config["config"]["Entrypoint"]
    java = entrypoint[0]

    result = run_in_image(root, config, entrypoint + ["--version"])
    check(result.returncode == 0, "'--version' exited %d: %s" % (result.returncode, result.stderr.strip()[-2000:]))
    step("ran '%s --version': %s" % (entrypoint[-1], result.stdout.strip().splitlines()[0]))

    demo = ["demo", "pooled-statistics", "--json"]
    result = run_in_image(root, config, entrypoint + demo)
    check(result.returncode == 0, "'%s' exited %d: %s" % (" ".join(demo), result.returncode, result.stderr.strip()[-2000:]))
    report = json.loads(result.stdout)
    check(report.get("verified") is True, "'%s' did not report verified: %s" % (" ".join(demo), result.stdout[-500:]))
    step("ran '%s' in the image: verified=true" % " ".join(demo))

    result = run_in_image(root, config, [java, "-XshowSettings:properties", "-version"])
    check(result.returncode == 0, "java -version exited %d: %s" % (result.returncode, result.stderr[-2000:]))
    for prop in ("file.encoding = UTF-8", "sun.jnu.encoding = UTF-8"):
        check(prop in result.stderr, "JVM property '%s' expected in the image (is LANG=C.UTF-8 and its locale there?)" % prop)
    version = [l.strip() for l in result.stderr.splitlines() if l.strip().startswith("java.runtime.version")]
    step("JVM in the image: %s, UTF-8 encodings" % (version[0] if version else "?"))

    server = http.server.HTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    probe = [java, "-cp", "@/app/jib-classpath-file", "org.fedcredit.transport.metrics.HealthProbe"]
    try:
        url = "http://127.0.0.1:%d/health" % server.server_port
        Health.status = 200
        result = run_in_image(root, config, probe + [url])
        check(result.returncode == 0, "HealthProbe on a 200 /health exited %d: %s%s" % (result.returncode, result.stdout, result.stderr))
        Health.status = 503
        result = run_in_image(root, config, probe + [url])
        check(result.returncode == 1, "HealthProbe on a 503 /health exited %d, not 1: %s" % (result.returncode, result.stdout))
    finally:
        server.shutdown()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    result = run_in_image(root, config, probe + ["http://127.0.0.1:%d/health" % closed, "2"])
    check(result.returncode == 1 and "cannot reach" in result.stdout,
          "HealthProbe on a closed port exited %d: %s" % (result.returncode, result.stdout))
    step("health check command ok: 200 -> 0, 503 -> 1, closed port -> 1")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("image_tar")
    parser.add_argument("--keep", metavar="DIR", help="unpack into DIR (must not exist) and keep it")
    parser.add_argument("--no-run", action="store_true", help="only check structure and filesystem")
    args = parser.parse_args()
    try:
        entry, config = verify_structure(args.image_tar)
        root = args.keep or tempfile.mkdtemp(prefix="fedcredit-image-")
        if args.keep:
            os.makedirs(root)
        try:
            unpack(args.image_tar, entry, root)
            verify_filesystem(root, config)
            if args.no_run:
                step("not running the image (--no-run)")
            elif os.geteuid() != 0 or shutil.which("unshare") is None:
                raise Failure("running the image needs root and unshare (util-linux); use --no-run to skip")
            else:
                verify_runs(root, config)
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
    except Failure as e:
        print("smoke-test: FAILED: %s" % e, file=sys.stderr)
        return 1
    step("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
