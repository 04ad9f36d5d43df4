#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# smoke-test-with-overrides: the rollout of scenarios/04-smoke-test-with-overrides.yaml, as wrangler commands against your account.
# B at 0%, reached only through the overrides header, then rolled out.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 04-smoke-test-with-overrides.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode immediate | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' --var 'GREETING:Hi' | version_id)

# Step 3: Deploy B@0,A@100
echo '— step 3: Deploy B@0,A@100'
# Checked inside dosim only: objects assigned: foo → A, bar → A, baz → A
# Checked inside dosim only: resets: {"step":{"min":0,"max":0}}
$WRANGLER versions deploy "$V_B@0" "$V_A@100" --message 'B deployed, no traffic yet' --durable-objects-code-update-mode immediate --yes

# Step 4: Request GET / 20 times
echo '— step 4: Request GET / 20 times'
i=0
while [ "$i" -lt 20 ]; do
  request 'GET' '/'
  check_body 'Hello from version A'
  check_version "$V_A"
  i=$((i + 1))
done

# Step 5: Traffic: 1000 requests to /
echo '— step 5: Traffic: 1000 requests to /'
# Checked inside dosim only: share per version: {"A":100,"B":0}
statuses=""
i=0
while [ "$i" -lt 1000 ]; do
  request 'GET' '/'; statuses="$statuses $STATUS"
  i=$((i + 1))
done

# Step 6: Request GET /
echo '— step 6: Request GET /'
request 'GET' '/' -H 'Cloudflare-Workers-Version-Overrides: hello="'"$V_B"'"'
check_status 200
check_body 'Hi from version B'
check_version "$V_B"

# Step 7: Request GET /
echo '— step 7: Request GET /'
request 'GET' '/' -H 'Cloudflare-Workers-Version-Overrides: hello="'"$V_B"'"' -H 'Cloudflare-Workers-Version-Key: user-1'
check_version "$V_B"

# Step 8: Request GET /objects/foo
echo '— step 8: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → A
request 'GET' '/objects/foo' -H 'Cloudflare-Workers-Version-Overrides: hello="'"$V_B"'"'
check_status 200
check_json '{"object":"foo","version":{"tag":"A"}}'
check_version "$V_B"

# Step 9: Deploy B@25,A@75
echo '— step 9: Deploy B@25,A@75'
# Checked inside dosim only: objects assigned: foo → A, bar → A, baz → A
# Checked inside dosim only: resets: {"step":{"min":0,"max":0}}
$WRANGLER versions deploy "$V_B@25" "$V_A@75" --durable-objects-code-update-mode immediate --yes

# Step 10: Traffic: 2000 requests to /
echo '— step 10: Traffic: 2000 requests to /'
# Checked inside dosim only: share per version: {"B":25,"A":75}
statuses=""
i=0
while [ "$i" -lt 2000 ]; do
  request 'GET' '/'; statuses="$statuses $STATUS"
  i=$((i + 1))
done

# Step 11: Deploy B@100
echo '— step 11: Deploy B@100'
# Checked inside dosim only: objects assigned: foo → B, bar → B, baz → B
# Checked inside dosim only: resets: {"total":{"min":3,"max":3},"step":{"min":3,"max":3}}
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode immediate --yes

# Step 12: Request GET /objects/foo
echo '— step 12: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → B
request 'GET' '/objects/foo'
check_json '{"count":2,"hits":1}'
check_version "$V_B"

echo '✓ smoke-test-with-overrides: every check that can be seen from outside held'
