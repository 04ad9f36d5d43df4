#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# version-affinity: the rollout of scenarios/03-version-affinity.yaml, as wrangler commands against your account.
# Version keys stay on their version as its percentage rises.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 03-version-affinity.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' --var 'GREETING:Hi' | version_id)

# Step 3: Deploy B@20,A@80
echo '— step 3: Deploy B@20,A@80'
$WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes

# Step 4: Request GET / 5 times
echo '— step 4: Request GET / 5 times'
# Checked inside dosim only: served by version B, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
# Checked inside dosim only: body "Hi from version B", because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
i=0
while [ "$i" -lt 5 ]; do
  request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-3'
  check_status 200
  i=$((i + 1))
done

# Step 5: Request GET /
echo '— step 5: Request GET /'
# Checked inside dosim only: served by version B, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-9'

# Step 6: Request GET / 5 times
echo '— step 6: Request GET / 5 times'
# Checked inside dosim only: served by version A, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
# Checked inside dosim only: body "Hello from version A", because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
i=0
while [ "$i" -lt 5 ]; do
  request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-7'
  i=$((i + 1))
done

# Step 7: Request GET /
echo '— step 7: Request GET /'
# Checked inside dosim only: served by version A, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-1'

# Step 8: Traffic: 2000 requests to /
echo '— step 8: Traffic: 2000 requests to /'
# Checked inside dosim only: share per version: {"B":20,"A":80}
statuses=""
i=0
while [ "$i" -lt 2000 ]; do
  request 'GET' '/'; statuses="$statuses $STATUS"
  i=$((i + 1))
done
check_count 200 2000 2000 "$statuses"

# Step 9: Deploy B@50,A@50
echo '— step 9: Deploy B@50,A@50'
$WRANGLER versions deploy "$V_B@50" "$V_A@50" --durable-objects-code-update-mode deferred 300s --yes

# Step 10: Request GET /
echo '— step 10: Request GET /'
# Checked inside dosim only: served by version B, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-3'

# Step 11: Request GET /
echo '— step 11: Request GET /'
# Checked inside dosim only: served by version B, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-9'

# Step 12: Request GET /
echo '— step 12: Request GET /'
# Checked inside dosim only: served by version B, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-7'

# Step 13: Request GET /
echo '— step 13: Request GET /'
# Checked inside dosim only: served by version A, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-1'

# Step 14: Traffic: 2000 requests to /
echo '— step 14: Traffic: 2000 requests to /'
# Checked inside dosim only: share per version: {"B":50,"A":50}
statuses=""
i=0
while [ "$i" -lt 2000 ]; do
  request 'GET' '/'; statuses="$statuses $STATUS"
  i=$((i + 1))
done

# Step 15: Deploy B@100
echo '— step 15: Deploy B@100'
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode deferred 300s --yes

# Step 16: Request GET /
echo '— step 16: Request GET /'
request 'GET' '/' -H 'Cloudflare-Workers-Version-Key: user-1'
check_version "$V_B"

echo '✓ version-affinity: every check that can be seen from outside held'
