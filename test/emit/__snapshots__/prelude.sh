set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
# The wrangler to run: npx wrangler by default; any command with wrangler's verbs works.
WRANGLER=${WRANGLER:-npx wrangler}
# The Worker's address, e.g. https://my-worker.my-subdomain.workers.dev
BASE_URL=${BASE_URL:?set BASE_URL to the address your Worker answers on}
# A response header that carries the serving version's id, if your Worker sets one; version checks
# are skipped without it.
VERSION_HEADER=${VERSION_HEADER:-}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "✗ $*" >&2; exit 1; }
pass() { echo "✓ $*"; }

# Reads wrangler's output on stdin, shows it, and prints the version id it names.
version_id() {
  tee "$WORK/out" >&2
  sed -n -e 's/.*Worker Version ID: *\([0-9a-f-]*\).*/\1/p' -e 's/.*Current Version ID: *\([0-9a-f-]*\).*/\1/p' "$WORK/out" | tail -n 1
}

# The id of the newest version (after a secret change, which makes one).
latest_version_id() {
  $WRANGLER versions list --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const items=Array.isArray(v)?v:v.items;console.log(items.reduce((a,b)=>(b.number>a.number?b:a)).id)})'
}

# put_secret VERB NAME VALUE [args]: a secret put (or versions secret put) with the value on stdin.
put_secret() {
  verb=$1; name=$2; value=$3; shift 3
  printf '%s' "$value" | $WRANGLER $verb "$name" "$@"
}

# Runs a command that the platform must refuse with CODE.
expect_refusal() {
  code=$1; shift
  if "$@" >"$WORK/out" 2>&1; then cat "$WORK/out"; fail "expected a refusal ($code), but it succeeded"; fi
  pass "refused as expected ($code)"
}

# request METHOD PATH [curl args]: sets STATUS, and the body in $WORK/body, the headers in $WORK/headers.
request() {
  method=$1; path=$2; shift 2
  STATUS=$(curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -X "$method" "$@" "$BASE_URL$path")
  echo "$method $path → $STATUS"
}

check_status() { [ "$STATUS" = "$1" ] || fail "expected status $1, got $STATUS: $(head -c 300 "$WORK/body")"; }
check_body() { [ "$(cat "$WORK/body")" = "$1" ] || fail "expected the body '$1', got '$(head -c 300 "$WORK/body")'"; }

# The body is JSON holding the given JSON: objects on the keys given, everything else exactly.
check_json() {
  node -e 'const fs=require("fs");const want=JSON.parse(process.argv[1]);let got;try{got=JSON.parse(fs.readFileSync(process.argv[2],"utf8"))}catch{console.error("the body is not JSON");process.exit(1)}
const holds=(a,w)=>w!==null&&typeof w==="object"&&!Array.isArray(w)?a!==null&&typeof a==="object"&&!Array.isArray(a)&&Object.keys(w).every(k=>holds(a[k],w[k])):JSON.stringify(a)===JSON.stringify(w);
if(!holds(got,want)){console.error("expected the JSON to hold "+JSON.stringify(want)+", got "+JSON.stringify(got));process.exit(1)}' "$1" "$WORK/body" || fail "JSON check"
}

# The version that served the request, where the Worker says so in VERSION_HEADER.
check_version() {
  [ -n "$VERSION_HEADER" ] || { echo "  (version $1 not checked: set VERSION_HEADER if your Worker reports its version)"; return 0; }
  got=$(grep -i "^$VERSION_HEADER:" "$WORK/headers" | tail -n 1 | cut -d: -f2- | tr -d ' \r')
  [ "$got" = "$1" ] || fail "expected version $1 in $VERSION_HEADER, got '$got'"
}

# check_count CODE MIN [MAX] "STATUSES": how many of the statuses were CODE.
check_count() {
  code=$1; min=$2
  if [ $# -eq 4 ]; then max=$3; list=$4; else max=; list=$3; fi
  n=0; for s in $list; do [ "$s" = "$code" ] && n=$((n + 1)); done
  [ "$n" -ge "$min" ] || fail "expected at least $min responses with status $code, got $n"
  [ -z "$max" ] || [ "$n" -le "$max" ] || fail "expected at most $max responses with status $code, got $n"
  pass "$n responses with status $code"
}

# check_deployment LABELS ENTRY...: the active deployment is exactly these versions at these
# percentages, each ENTRY a version's tag or id, then @percent. Tags where a label's versions carry
# it: a label uploaded again names a new version while the deployment may hold the one before it.
check_deployment() {
  want=$1; shift
  got=""
  for entry in $($WRANGLER deployments status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const v of JSON.parse(s).versions)console.log(v.version_id+"@"+v.percentage)})'); do
    tag=$($WRANGLER versions view "${entry%@*}" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);console.log((v.annotations||{})["workers/tag"]||"-")})')
    got="$got $entry/$tag@${entry##*@}"
  done
  left=$got
  for w in "$@"; do
    found=""; rest=""
    for g in $left; do
      if [ -z "$found" ] && { [ "${g%%/*}" = "$w" ] || [ "${g#*/}" = "$w" ]; }; then found=1; else rest="$rest $g"; fi
    done
    [ -n "$found" ] || fail "expected the deployment $want, got$got"
    left=$rest
  done
  [ -z "$left" ] || fail "expected the deployment $want, got$got"
  pass "deployment $want"
}
