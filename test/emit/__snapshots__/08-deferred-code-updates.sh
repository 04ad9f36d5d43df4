#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# deferred-code-updates: the rollout of scenarios/08-deferred-code-updates.yaml, as wrangler commands against your account.
# The default (deferred until the object hibernates, or 300 s) versus an explicit immediate, on the virtual clock.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 08-deferred-code-updates.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Request GET /objects/foo
echo '— step 2: Request GET /objects/foo'
request 'GET' '/objects/foo'

# Step 3: Request GET /objects/bar
echo '— step 3: Request GET /objects/bar'
request 'GET' '/objects/bar'

# Step 4: Upload version B (it gets no traffic yet)
echo '— step 4: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' | version_id)

# Step 5: Deploy B@100
echo '— step 5: Deploy B@100'
# Checked inside dosim only: objects assigned: foo → B, bar → B, baz → B
# Checked inside dosim only: objects running: foo → A, bar → A, baz → B
# Checked inside dosim only: live instances: foo, bar
# Checked inside dosim only: resets: {"total":{"min":1,"max":1},"step":{"min":1,"max":1}}
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode deferred 300s --yes

# Step 6: Request GET /objects/foo
echo '— step 6: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → A
request 'GET' '/objects/foo'
check_json '{"count":2,"hits":2}'
check_version "$V_B"

# Step 7: Leave bar idle
echo '— step 7: Leave bar idle'
# Checked inside dosim only: objects running: bar → B
# Checked inside dosim only: live instances: foo
# Checked inside dosim only: resets: {"total":{"min":2,"max":2},"step":{"min":1,"max":1}}
sleep 11  # an object with no pending work hibernates after about 10 s without requests

# Step 8: Wait 9 s
echo '— step 8: Wait 9 s'
# Checked inside dosim only: objects running: foo → A
# Checked inside dosim only: live instances: foo
# Checked inside dosim only: resets: {"step":{"min":0,"max":0}}
sleep 9

# Step 9: Wait 1 s
echo '— step 9: Wait 1 s'
# Checked inside dosim only: objects running: foo → B
# Checked inside dosim only: live instances: none
# Checked inside dosim only: resets: {"total":{"min":3,"max":3},"step":{"min":1,"max":1}}
sleep 1

# Step 10: Request GET /objects/foo
echo '— step 10: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → B
request 'GET' '/objects/foo'
check_json '{"count":3,"hits":1}'
check_version "$V_B"

# Step 11: Upload version C (it gets no traffic yet)
echo '— step 11: Upload version C (it gets no traffic yet)'
V_C=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'C' | version_id)

# Step 12: Deploy C@100
echo '— step 12: Deploy C@100'
# Checked inside dosim only: objects running: foo → C, bar → C, baz → C
# Checked inside dosim only: live instances: none
# Checked inside dosim only: resets: {"total":{"min":6,"max":6},"step":{"min":3,"max":3}}
$WRANGLER versions deploy "$V_C@100" --durable-objects-code-update-mode immediate --yes

echo '✓ deferred-code-updates: every check that can be seen from outside held'
