#!/usr/bin/env bash
# Regenerates a kernel data file from Debian's debug-symbol package of that kernel:
#   agent/linux/kernel-data.sh [RELEASE] [OUT]
# It reads the vmlinux and the modules the sample workloads stand for (MODULES below; those a
# kernel does not have are skipped).
# RELEASE defaults to the committed kernel, 6.12.117+deb12-cloud-amd64 (any release that
# `apt-cache search linux-image | grep -- -dbg` lists works, e.g. 6.1.0-47-cloud-amd64, or
# "$(uname -r)" on a Debian machine). OUT defaults to the committed file for the default release,
# else to linux-RELEASE.kframes.gz in the current directory. The same package gives a
# byte-identical file. Needs apt-get and dpkg-deb (Debian), about 1.5 GB of scratch space, and a
# JDK 21+ (found as ./mvnw finds it); builds the agent jar if it is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
default_release=6.12.117+deb12-cloud-amd64
release="${1:-$default_release}"
if [[ "$release" == "$default_release" ]]; then
  out_default="$root/agent/src/main/resources/io/dynstack/agent/linux/linux-$release.kframes.gz"
else
  out_default="$PWD/linux-$release.kframes.gz"
fi
out="$(realpath -m "${2:-$out_default}")"
package="linux-image-$release-dbg"
MODULES=(xfs kvm kvm-intel dm-crypt loop overlay)

java="$("$root/mvnw" --print-java)"
jar="$root/agent/target/dynstack-agent.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$root" && ./mvnw -q -pl agent -am package -DskipTests)
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download "$package" >/dev/null 2>apt.log; then
  echo "kernel-data.sh: cannot download $package ($(tail -1 apt.log)); run 'apt-get update' and check the name with: apt-cache search linux-image | grep -- -dbg" >&2
  exit 2
fi
deb="$(ls ./*.deb)"
version="$(dpkg-deb -f "$deb" Version)"
deb_sha="$(sha256sum "$deb" | cut -d' ' -f1)"
dpkg-deb -x "$deb" .
vmlinux="$(ls ./usr/lib/debug/boot/vmlinux-*)"
modules=()
for m in "${MODULES[@]}"; do
  ko="$(find ./usr/lib/debug/lib/modules -name "$m.ko" | head -n 1)"
  if [[ -n "$ko" ]]; then modules+=(--module "$ko"); fi
done
"$java" -jar "$jar" extract "$vmlinux" "${modules[@]}" --out "$out" --package "$package $version sha256:$deb_sha"
