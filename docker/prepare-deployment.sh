#!/usr/bin/env bash
# Turns the files of a loopback demo (./fedcredit demo --workdir DIR) into the inputs of
# docker/compose.yaml:
#
#   docker/prepare-deployment.sh DIR
#
# writes, next to compose.yaml (and refuses to overwrite any of them):
#   config/coordinator.yaml, bank.yaml, tax-bureau.yaml, utility.yaml   the demo's configurations
#       with: listen on 0.0.0.0:7100, the coordinator at coordinator:7100, work_dir /data (the
#       container's volume), metrics and health on port 9100
#   config/job.yaml        the demo's job spec, for the bank to submit
#   ca/                    the demo's CA (ca.crt, ca.key): never mounted into a container
#   certs/<party>/         ca.crt and a new <party>.crt/.key, valid for the compose host name
#                          <party> (the demo's certificates are valid for localhost only)
#   data/<party>/          the CSV files that party's configuration names (and the bank's
#                          hold-out ids)
# and makes certs/ and data/ readable by the containers' user (uid 10001) when run as root.
#
# Uses ./fedcredit (or $FEDCREDIT) for 'certs issue'.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
fedcredit="${FEDCREDIT:-$repo/fedcredit}"
parties=(coordinator bank tax-bureau utility)
container_uid=10001

fail() {
  echo "prepare-deployment: $*" >&2
  exit 1
}

[[ $# -eq 1 ]] || { echo "usage: $0 DEMO_WORKDIR   (from: ./fedcredit demo --workdir DEMO_WORKDIR)" >&2; exit 2; }
demo="$(cd "$1" 2>/dev/null && pwd)" || fail "'$1' is not a directory; run ./fedcredit demo --workdir $1 first"
for f in "${parties[@]/%/.yaml}" job.yaml certs/ca.crt certs/ca.key; do
  [[ -f "$demo/$f" ]] || fail "$demo/$f is missing; is '$1' the --workdir of './fedcredit demo'?"
done
for out in config ca certs data; do
  [[ ! -e "$here/$out" ]] || fail "$here/$out already exists; remove config/, ca/, certs/ and data/ under $here to prepare again"
done

# Rewrites one 'key: value' line of a demo configuration; fails if the line is not there, so a
# change of the demo's format is noticed instead of producing a half-converted file.
rewrite() {
  local file="$1" pattern="$2" replacement="$3"
  grep -Eq "$pattern" "$file" || fail "$file has no line matching '$pattern'; the demo's configuration format changed, update $0"
  sed -E -i "s#$pattern#$replacement#" "$file"
}

mkdir -p "$here/config" "$here/ca" "$here/certs" "$here/data"
cp "$demo/certs/ca.crt" "$demo/certs/ca.key" "$here/ca/"
chmod 600 "$here/ca/ca.key"

for party in "${parties[@]}"; do
  conf="$here/config/$party.yaml"
  cp "$demo/$party.yaml" "$conf"
  rewrite "$conf" '^listen: \{host: [^,]+, port: [0-9]+\}$' 'listen: {host: 0.0.0.0, port: 7100}'
  rewrite "$conf" "^work_dir: .*$" "work_dir: /data"
  if [[ "$party" != coordinator ]]; then
    rewrite "$conf" '^coordinator: .*$' 'coordinator: coordinator:7100'
  fi
  if grep -Eq '^metrics:' "$conf"; then
    rewrite "$conf" '^metrics: \{port: [0-9]+\}$' 'metrics: {port: 9100, host: 0.0.0.0}'
  else
    printf '# Prometheus /metrics and /health (the compose health check probes it).\nmetrics: {port: 9100, host: 0.0.0.0}\n' >>"$conf"
  fi

  "$fedcredit" certs issue --dir "$here/ca" --party "$party" --host "$party" >/dev/null
  mkdir -p "$here/certs/$party"
  mv "$here/ca/$party.crt" "$here/ca/$party.key" "$here/certs/$party/"
  cp "$here/ca/ca.crt" "$here/certs/$party/"

  mkdir -p "$here/data/$party"
  # Every 'path: data/...' of the configuration (datasets and consent), relative to the file.
  while IFS= read -r path; do
    [[ -f "$demo/$path" ]] || fail "$demo/$party.yaml names $path, which does not exist"
    cp "$demo/$path" "$here/data/$party/"
  done < <(grep -Eo 'path: data/[^,}[:space:]]+' "$conf" | sed 's/^path: //')
  rmdir --ignore-fail-on-non-empty "$here/data/$party" # the coordinator has no data
done

cp "$demo/job.yaml" "$here/config/job.yaml"
holdout="$(sed -n 's/^holdout_ids: //p' "$demo/job.yaml")"
if [[ -n "$holdout" ]]; then
  [[ "$holdout" == data/* && -f "$demo/$holdout" ]] || fail "job.yaml's holdout_ids '$holdout' is not a file under $demo/data"
  cp "$demo/$holdout" "$here/data/bank/"
fi

if [[ "$(id -u)" == 0 ]]; then
  chown -R "$container_uid:$container_uid" "$here/certs" "$here/data" "$here/config"
  owner="owned by uid $container_uid"
else
  owner="NOT yet readable by the containers: run  sudo chown -R $container_uid:$container_uid $here/certs $here/data $here/config"
fi
echo "prepare-deployment: wrote $here/{config,certs,data} for ${parties[*]} ($owner); the CA is in $here/ca"
echo "next: docker compose -f $here/compose.yaml up -d"
