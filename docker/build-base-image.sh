#!/usr/bin/env bash
# Builds the FedCredit base image, without a Docker daemon and without any registry, as a
# 'docker save' tarball that Jib reads through <from><image>tar://...</image></from>.
#
#   docker/build-base-image.sh <output-dir> <app-lib-dir>
#
# The image has one layer:
#   /opt/java          a jlinked Java runtime made from the build machine's JDK (modules below)
#   /lib/..., /lib64/  exactly the shared libraries that runtime and the application's bundled
#                      native libraries (netty epoll/tcnative, jna, jnagmp) link against, copied
#                      from the build machine (found with ldd; the build fails if one is missing)
#   /usr/lib/locale/C.utf8 (LANG=C.UTF-8), /etc/passwd, /etc/group, /etc/nsswitch.conf,
#   /tmp (1777), /data (owned by fedcredit, uid 10001)
# and writes <output-dir>/fedcredit-runtime.tar plus <output-dir>/rootfs (the same files, for the
# smoke test in docker/smoke-test-image.sh). It is rebuilt only when this script, the JDK or the
# set of bundled native libraries changes.
#
# Needs: bash, GNU tar, coreutils, ldd (glibc), unzip, and a JDK >= 17 with a jmods/ directory
# (Debian/Ubuntu: openjdk-17-jdk-headless). The JDK is $FEDCREDIT_IMAGE_JDK, else $JAVA_HOME,
# else the one 'java' on PATH belongs to. Linux x86_64 only.
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <output-dir> <app-lib-dir>" >&2
  exit 2
fi
out="$1"
app_lib="$2"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

fail() {
  echo "build-base-image: $*" >&2
  exit 1
}

[[ "$(uname -s)/$(uname -m)" == "Linux/x86_64" ]] \
  || fail "builds a linux/amd64 image from this machine's JDK and glibc; found $(uname -s)/$(uname -m)"
for tool in tar sha256sum ldd unzip; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is needed; install it (Debian: apt-get install tar coreutils libc-bin unzip)"
done
[[ -d "$app_lib" ]] || fail "application library directory '$app_lib' does not exist; run 'mvn package' for the cli module first"

jdk="${FEDCREDIT_IMAGE_JDK:-${JAVA_HOME:-}}"
if [[ -z "$jdk" ]]; then
  command -v java >/dev/null 2>&1 || fail "no JDK: set FEDCREDIT_IMAGE_JDK or JAVA_HOME to a JDK 17+"
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
[[ -x "$jdk/bin/jlink" ]] || fail "'$jdk' has no bin/jlink; set FEDCREDIT_IMAGE_JDK to a full JDK 17+ (not a JRE)"
[[ -d "$jdk/jmods" ]] || fail "'$jdk' has no jmods/ directory, which jlink needs; install openjdk-17-jdk-headless or set FEDCREDIT_IMAGE_JDK to a JDK that has jmods"
java_version="$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$jdk/release")"
java_major="${java_version%%.*}"
[[ -n "$java_major" && "$java_major" -ge 17 ]] || fail "'$jdk' is Java '${java_version:-unknown}'; FedCredit needs 17 or newer"

# Modules: 'jdeps --print-module-deps --ignore-missing-deps --multi-release 17' over the cli jar
# and its runtime classpath, plus what is only reached through ServiceLoader or reflection:
# jdk.crypto.ec (EC keys and ECDHE in TLS), jdk.localedata (zh), jdk.zipfs, jdk.naming.dns,
# java.net.http, jdk.management (process CPU), java.logging, java.xml. Re-run jdeps when
# dependencies change.
modules="java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.localedata,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs"
# AWT's display and sound back ends: a headless server never loads them, and they would pull X11
# and ALSA into the image.
headless_drop=(libawt_xawt.so libjawt.so libsplashscreen.so libjsound.so)
fedcredit_uid=10001

mkdir -p "$out"
out="$(cd "$out" && pwd)"
natives="$(cd "$app_lib" && for jar in *.jar; do
  unzip -Z1 "$jar" 2>/dev/null | grep -E '(^|/)[^/]*linux[^/]*/.*\.so$|linux[-_]x86[-_]64[^/]*\.so$' \
    | grep -E 'x86[-_]64' | sed "s|^|$jar!|" || true
done | sort)"
key="$(
  sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1
  echo "$jdk $java_version $(cat "$jdk/release" | sha256sum | cut -d' ' -f1)"
  echo "$natives"
)"
if [[ -f "$out/fedcredit-runtime.tar" && -f "$out/.key" && "$(cat "$out/.key")" == "$key" ]]; then
  echo "build-base-image: $out/fedcredit-runtime.tar is up to date (Java $java_version)"
  exit 0
fi

started=$SECONDS
rm -rf "$out/rootfs" "$out/work" "$out/.key" "$out/fedcredit-runtime.tar"
root="$out/rootfs"
work="$out/work"
mkdir -p "$root/opt" "$work/natives"

echo "build-base-image: jlink Java $java_version from $jdk"
"$jdk/bin/jlink" --add-modules "$modules" --include-locales=en,zh \
  --strip-debug --no-header-files --no-man-pages --output "$root/opt/java"
for lib in "${headless_drop[@]}"; do
  rm -f "$root/opt/java/lib/$lib"
done

# The application's bundled Linux x86_64 native libraries are extracted at run time (to /tmp);
# their dependencies must be in the image too.
while IFS= read -r entry; do
  [[ -z "$entry" ]] && continue
  jar="${entry%%!*}"
  path="${entry#*!}"
  dest="$work/natives/$(echo "$jar-$path" | tr '/' '_')"
  unzip -p "$app_lib/$jar" "$path" >"$dest"
done <<<"$natives"

# Every ELF object's resolved dependencies. ldd prints "name => /path (addr)", "/path (addr)" for
# the loader, or "name => not found".
elves=()
while IFS= read -r -d '' f; do
  if [[ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" == '177ELF' ]]; then
    elves+=("$f")
  fi
done < <(find "$root/opt/java/bin" "$root/opt/java/lib" "$work/natives" -type f \
  \( -path '*/bin/*' -o -name '*.so' -o -name jspawnhelper -o -name jexec \) -print0)
declare -A libs=()
missing=()
for elf in "${elves[@]}"; do
  while IFS= read -r line; do
    if [[ "$line" =~ ^[[:space:]]*([^[:space:]]+)[[:space:]]=\>[[:space:]]not[[:space:]]found ]]; then
      # libjvm.so is found at run time through the launcher, not the loader's search path.
      [[ "${BASH_REMATCH[1]}" == "libjvm.so" ]] || missing+=("${BASH_REMATCH[1]} (needed by ${elf#"$out/"})")
    elif [[ "$line" =~ =\>[[:space:]](/[^[:space:]]+) ]] || [[ "$line" =~ ^[[:space:]]*(/[^[:space:]]+)[[:space:]]\( ]]; then
      case "${BASH_REMATCH[1]}" in
        "$root"/*) ;;
        *) libs["${BASH_REMATCH[1]}"]=1 ;;
      esac
    fi
  done < <(ldd "$elf" 2>/dev/null || true)
done
((${#missing[@]} == 0)) || fail "shared libraries not found on this machine: ${missing[*]}; install them (Debian: apt-file search <name>)"
((${#libs[@]} > 0)) || fail "ldd resolved no shared library for the runtime; is ldd working?"
for lib in "${!libs[@]}"; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[[ -f "$root/lib64/ld-linux-x86-64.so.2" ]] || fail "the dynamic loader /lib64/ld-linux-x86-64.so.2 was not among the dependencies"

# Java 17 takes file.encoding and sun.jnu.encoding from the locale: without a UTF-8 locale
# (LANG=C.UTF-8 in the image) Chinese text would be written as '?'. glibc does not build C.UTF-8
# in; it is a compiled locale directory (Debian: package libc-bin).
[[ -d /usr/lib/locale/C.utf8 ]] || fail "the compiled C.UTF-8 locale /usr/lib/locale/C.utf8 is missing; install libc-bin"
mkdir -p "$root/usr/lib/locale"
cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"

mkdir -p "$root/etc" "$root/tmp" "$root/data"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nfedcredit:x:%s:%s:FedCredit node:/data:/sbin/nologin\n' \
  "$fedcredit_uid" "$fedcredit_uid" >"$root/etc/passwd"
printf 'root:x:0:\nfedcredit:x:%s:\n' "$fedcredit_uid" >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# One reproducible layer: sorted, epoch mtimes, root-owned; /data appended owned by fedcredit.
layer="$work/layer.tar"
tar_opts=(--sort=name --mtime=@0 --numeric-owner --format=posix
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
(cd "$root" && tar "${tar_opts[@]}" --owner=0 --group=0 --exclude=./data -cf "$layer" .)
(cd "$root" && tar "${tar_opts[@]}" --owner="$fedcredit_uid" --group="$fedcredit_uid" \
  --no-recursion -rf "$layer" ./data)
diff_id="sha256:$(sha256sum "$layer" | cut -d' ' -f1)"
glibc="$(ldd --version 2>&1 | sed -n "1s/^ldd //p")"

image="$work/image"
mkdir -p "$image"
mv "$layer" "$image/layer.tar"
cat >"$image/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],
  "Labels":{"org.fedcredit.runtime.java":"$java_version","org.fedcredit.runtime.glibc":"$glibc"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"docker/build-base-image.sh: jlink ($java_version) + glibc ($glibc) from the build machine"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["fedcredit-runtime:local"],"Layers":["layer.tar"]}]' \
  >"$image/manifest.json"
(cd "$image" && tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
  -cf "$out/fedcredit-runtime.tar" manifest.json config.json layer.tar)
rm -rf "$work"
echo "$key" >"$out/.key"
echo "build-base-image: $out/fedcredit-runtime.tar ($(du -h "$out/fedcredit-runtime.tar" | cut -f1), ${#libs[@]} shared libraries, Java $java_version, $glibc) in $((SECONDS - started))s"
