#!/usr/bin/env python3
"""Runs docker/compose.yaml without a container engine, to see the deployment work before it
meets Docker or Podman.

    sudo docker/rehearse-compose.py cli/target/fedcredit-image.tar [--job] [--keep-running]

It unpacks the image tarball once and starts each service of compose.yaml the way a container
runtime would, with Linux namespaces: its own network namespace on a private bridge (10.89.0.0/24)
with an /etc/hosts naming every service (standing in for Docker's DNS), its own mount, PID and UTS
namespaces (host name from 'hostname:'), its bind mounts and a directory per named volume owned by
the image's user, then chroot as that user with exactly the image's environment, and runs the
image's entrypoint with the service's 'command'. Services start in 'depends_on' order, each waiting
until its dependencies' health checks ('healthcheck.test', run in the service's namespaces) pass.

With --job it then does what docker/README.md tells the bank to do,
'docker compose run --rm --no-deps bank job submit /config/job.yaml --config /config/bank.yaml
--watch', in a fresh namespace on the same bridge, and checks that the job succeeded and that the
nodes' /metrics counted federation bytes.

Understood from compose.yaml: services.*.{command, hostname, volumes (bind, ':ro', named),
depends_on.*.condition: service_healthy, healthcheck.test (CMD form)}, top-level volumes. Not
emulated: image lookup (the tarball is used), ports, restart, cgroup limits, Docker's DNS server,
user namespaces. Needs root, iproute2, util-linux (unshare) and PyYAML. Cleans up (processes,
namespaces, bridge, volumes) on exit unless --keep-running.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

try:
    import yaml
except ImportError:
    sys.exit("rehearse-compose: PyYAML is needed (pip install pyyaml or apt-get install python3-yaml)")

HERE = os.path.dirname(os.path.abspath(__file__))
BRIDGE = "fcrehearse0"
SUBNET = "10.89.0"


def log(message):
    print("rehearse: " + message, flush=True)


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, **kw)


def image_config(image_tar):
    with tarfile.open(image_tar) as archive:
        manifest = json.loads(archive.extractfile("manifest.json").read())
        return json.loads(archive.extractfile(manifest[0]["Config"]).read())["config"]


def order(services):
    done, result = set(), []

    def visit(name, path=()):
        if name in done:
            return
        if name in path:
            raise SystemExit("rehearse-compose: depends_on cycle through " + name)
        for dep in services[name].get("depends_on", {}):
            visit(dep, path + (name,))
        done.add(name)
        result.append(name)

    for name in services:
        visit(name)
    return result


class Rehearsal:
    def __init__(self, compose_file, image_tar, work):
        self.compose_dir = os.path.dirname(os.path.abspath(compose_file))
        with open(compose_file) as f:
            self.compose = yaml.safe_load(f)
        self.services = self.compose["services"]
        self.config = image_config(image_tar)
        self.image_tar = image_tar
        self.work = work
        self.root = os.path.join(work, "rootfs")
        self.uid, self.gid = (int(x) for x in self.config["User"].split(":"))
        self.ip = {name: "%s.%d" % (SUBNET, 10 + i) for i, name in enumerate(self.services)}
        self.ip["run"] = SUBNET + ".99"
        self.processes = {}
        self.netns = []

    # -- set-up ---------------------------------------------------------------------------------
    def unpack(self):
        os.makedirs(self.root)
        sh(sys.executable, os.path.join(HERE, "smoke-test-image.py"), "--no-run", "--keep",
           os.path.join(self.work, "unpacked"), self.image_tar, stdout=subprocess.DEVNULL)
        os.rmdir(self.root)
        os.rename(os.path.join(self.work, "unpacked"), self.root)
        os.makedirs(os.path.join(self.root, "proc"), exist_ok=True)
        hosts = os.path.join(self.work, "hosts")
        with open(hosts, "w") as f:
            f.write("127.0.0.1 localhost\n")
            for name, ip in self.ip.items():
                if name in self.services:
                    host = self.services[name].get("hostname", name)
                    f.write("%s %s %s\n" % (ip, host, name))
        os.chmod(hosts, 0o644)
        # Mount points a runtime would create in the container's writable layer.
        os.makedirs(os.path.join(self.root, "etc"), exist_ok=True)
        open(os.path.join(self.root, "etc/hosts"), "a").close()

    def network(self):
        sh("ip", "link", "add", BRIDGE, "type", "bridge")
        sh("ip", "addr", "add", SUBNET + ".1/24", "dev", BRIDGE)
        sh("ip", "link", "set", BRIDGE, "up")
        for name in list(self.services) + ["run"]:
            ns = "fcr-" + name
            veth = ("fcr%d" % len(self.netns))
            sh("ip", "netns", "add", ns)
            self.netns.append(ns)
            sh("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
            sh("ip", "link", "set", veth, "master", BRIDGE, "up")
            sh("ip", "-n", ns, "addr", "add", self.ip[name] + "/24", "dev", "eth0")
            sh("ip", "-n", ns, "link", "set", "eth0", "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")

    def mounts(self, name):
        """(source, target, read_only) for a service: its volumes plus /etc/hosts."""
        result = [(os.path.join(self.work, "hosts"), "/etc/hosts", True)]
        for spec in self.services[name].get("volumes", []):
            parts = spec.split(":")
            source, target = parts[0], parts[1]
            read_only = len(parts) > 2 and "ro" in parts[2].split(",")
            if source.startswith((".", "/")):
                source = os.path.normpath(os.path.join(self.compose_dir, source))
                if not os.path.exists(source):
                    raise SystemExit("rehearse-compose: %s mounts %s, which does not exist (docker/README.md: prepare it)" % (name, source))
            else:
                if source not in (self.compose.get("volumes") or {}):
                    raise SystemExit("rehearse-compose: %s uses volume '%s', not declared under volumes:" % (name, source))
                volume = os.path.join(self.work, "volumes", source)
                if not os.path.exists(volume):
                    # A new named volume is initialised from the image's directory, owner included.
                    image_dir = os.path.join(self.root, target.lstrip("/"))
                    st = os.stat(image_dir) if os.path.isdir(image_dir) else None
                    os.makedirs(volume)
                    if st:
                        os.chown(volume, st.st_uid, st.st_gid)
                        os.chmod(volume, st.st_mode & 0o7777)
                source = volume
            result.append((source, target, read_only))
        return result

    # -- running --------------------------------------------------------------------------------
    def command_in(self, name, argv, netns=None, hostname=None):
        """The host command that runs argv in the image as service 'name' would."""
        script = ["set -e"]
        for source, target, read_only in self.mounts(name):
            path = os.path.join(self.root, target.lstrip("/"))
            if os.path.isdir(source):
                os.makedirs(path, exist_ok=True)
            elif not os.path.exists(path):
                os.makedirs(os.path.dirname(path), exist_ok=True)
                open(path, "a").close()
            script.append("mount --bind %s %s" % (q(source), q(path)))
            if read_only:
                script.append("mount -o remount,bind,ro %s" % q(path))
        script.append("mount -t proc proc %s" % q(os.path.join(self.root, "proc")))
        if hostname:
            script.append("hostname %s" % q(hostname))
        env = ["env", "-i"] + self.config.get("Env", [])
        chroot = [shutil.which("chroot") or "/usr/sbin/chroot", "--userspec=%d:%d" % (self.uid, self.gid), self.root]
        script.append("exec " + " ".join(q(a) for a in env + chroot + argv))
        return ["ip", "netns", "exec", netns or ("fcr-" + name), "unshare", "--mount", "--uts",
                "--pid", "--fork", "--propagation", "private", "sh", "-c", "\n".join(script)]

    def start(self, name):
        service = self.services[name]
        argv = self.config["Entrypoint"] + list(service.get("command") or self.config.get("Cmd") or [])
        logfile = open(os.path.join(self.work, name + ".log"), "w")
        self.processes[name] = subprocess.Popen(
            self.command_in(name, argv, hostname=service.get("hostname", name)),
            stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True)
        log("started %s: %s" % (name, " ".join(service.get("command") or [])))

    def healthy(self, name):
        test = self.services[name]["healthcheck"]["test"]
        assert test[0] == "CMD", "only the CMD form of healthcheck.test is understood"
        result = subprocess.run(self.command_in(name, test[1:]), capture_output=True, text=True, timeout=60)
        return result.returncode == 0, (result.stdout + result.stderr).strip()

    def wait_healthy(self, name, patience):
        deadline = time.time() + patience
        while True:
            if self.processes[name].poll() is not None:
                raise SystemExit("rehearse-compose: %s exited with %d; its log:\n%s"
                                 % (name, self.processes[name].returncode, tail(os.path.join(self.work, name + ".log"))))
            ok, output = self.healthy(name)
            if ok:
                log("%s healthy: %s" % (name, output[:300]))
                return
            if time.time() > deadline:
                raise SystemExit("rehearse-compose: %s not healthy after %ds: %s\nits log:\n%s"
                                 % (name, patience, output, tail(os.path.join(self.work, name + ".log"))))
            time.sleep(3)

    def up(self):
        for name in order(self.services):
            for dep, spec in (self.services[name].get("depends_on") or {}).items():
                if (spec or {}).get("condition") == "service_healthy":
                    self.wait_healthy(dep, 120)
            self.start(name)
        for name in self.services:
            self.wait_healthy(name, 120)

    def run_job(self):
        argv = self.config["Entrypoint"] + ["job", "submit", "/config/job.yaml", "--config", "/config/bank.yaml", "--watch"]
        log("docker compose run --rm --no-deps bank job submit /config/job.yaml --config /config/bank.yaml --watch")
        started = time.time()
        result = subprocess.run(self.command_in("bank", argv, netns="fcr-run", hostname="bank-run"),
                                capture_output=True, text=True, timeout=1800)
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        if result.returncode != 0:
            raise SystemExit("rehearse-compose: the job exited %d after %.0fs" % (result.returncode, time.time() - started))
        log("job finished in %.0fs" % (time.time() - started))
        counted = {}
        for name in self.services:
            text = subprocess.run(["ip", "netns", "exec", "fcr-" + name, sys.executable, "-c",
                                   "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:9100/metrics').read().decode())"],
                                  capture_output=True, text=True, check=True).stdout
            sent = [l for l in text.splitlines() if l.startswith("fedcredit_federation_bytes_sent_total")]
            counted[name] = sum(float(l.rsplit(" ", 1)[1]) for l in sent)
        log("fedcredit_federation_bytes_sent_total per service: %s" % counted)
        if not all(v > 0 for v in counted.values()):
            raise SystemExit("rehearse-compose: a service counted no federation bytes: %s" % counted)

    def down(self):
        for name, p in self.processes.items():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for name, p in self.processes.items():
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        for ns in self.netns:
            sh("ip", "netns", "del", ns, check=False)
        sh("ip", "link", "del", BRIDGE, check=False, stderr=subprocess.DEVNULL)


def q(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def tail(path, lines=25):
    try:
        with open(path) as f:
            return "".join(f.readlines()[-lines:])
    except OSError as e:
        return "(no log: %s)" % e


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("image_tar")
    parser.add_argument("--compose", default=os.path.join(HERE, "compose.yaml"))
    parser.add_argument("--job", action="store_true", help="submit config/job.yaml as the bank and wait for it")
    parser.add_argument("--keep-running", action="store_true", help="leave the services running (clean up by hand)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("rehearse-compose: needs root (namespaces, bridge, chroot)")
    work = tempfile.mkdtemp(prefix="fedcredit-rehearse-")
    rehearsal = Rehearsal(args.compose, args.image_tar, work)
    try:
        rehearsal.unpack()
        rehearsal.network()
        rehearsal.up()
        log("all services healthy")
        if args.job:
            rehearsal.run_job()
        log("passed; logs in %s" % work)
    finally:
        if not args.keep_running:
            rehearsal.down()
            shutil.rmtree(os.path.join(work, "rootfs"), ignore_errors=True)
            shutil.rmtree(os.path.join(work, "volumes"), ignore_errors=True)


if __name__ == "__main__":
    main()
