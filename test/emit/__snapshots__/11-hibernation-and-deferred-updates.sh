#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# hibernation-and-deferred-updates: the rollout of scenarios/11-hibernation-and-deferred-updates.yaml, as wrangler commands against your account.
# A quiet object switches when it hibernates, 10 s after its last request; a busy one at the 30 s deadline.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 11-hibernation-and-deferred-updates.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' | version_id)

# Step 3: Request GET /objects/quiet
echo '— step 3: Request GET /objects/quiet'
request 'GET' '/objects/quiet'

# Step 4: Request GET /objects/busy
echo '— step 4: Request GET /objects/busy'
request 'GET' '/objects/busy'

# Step 5: Deploy B@100
echo '— step 5: Deploy B@100'
# Checked inside dosim only: objects assigned: quiet → B, busy → B
# Checked inside dosim only: objects running: quiet → A, busy → A
# Checked inside dosim only: live instances: quiet, busy
# Checked inside dosim only: resets: {"step":{"min":0,"max":0}}
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode deferred 30s --yes

# Step 6: Wait 5 s
echo '— step 6: Wait 5 s'
sleep 5

# Step 7: Request GET /objects/busy
echo '— step 7: Request GET /objects/busy'
# Checked inside dosim only: objects served by: busy → A
request 'GET' '/objects/busy'
check_json '{"count":2,"hits":2}'
check_version "$V_B"

# Step 8 (quiet hibernates): Wait 5 s
echo '— step 8: Wait 5 s'
# Checked inside dosim only: objects running: quiet → B, busy → A
# Checked inside dosim only: live instances: busy
# Checked inside dosim only: resets: {"total":{"min":1,"max":1},"step":{"min":1,"max":1}}
sleep 5

# Step 9: Wait 2 s
echo '— step 9: Wait 2 s'
sleep 2

# Step 10: Request GET /objects/busy
echo '— step 10: Request GET /objects/busy'
# Checked inside dosim only: objects served by: busy → A
request 'GET' '/objects/busy'
check_json '{"count":3,"hits":3}'
check_version "$V_B"

# Step 11: Wait 7 s
echo '— step 11: Wait 7 s'
sleep 7

# Step 12: Request GET /objects/busy
echo '— step 12: Request GET /objects/busy'
# Checked inside dosim only: objects served by: busy → A
request 'GET' '/objects/busy'
check_json '{"count":4,"hits":4}'
check_version "$V_B"

# Step 13: Wait 7 s
echo '— step 13: Wait 7 s'
sleep 7

# Step 14: Request GET /objects/busy
echo '— step 14: Request GET /objects/busy'
# Checked inside dosim only: objects served by: busy → A
request 'GET' '/objects/busy'
check_json '{"count":5,"hits":5}'
check_version "$V_B"

# Step 15 (busy reaches the deadline): Wait 4 s
echo '— step 15: Wait 4 s'
# Checked inside dosim only: objects running: busy → B
# Checked inside dosim only: live instances: none
# Checked inside dosim only: resets: {"total":{"min":2,"max":2},"step":{"min":1,"max":1}}
sleep 4

# Step 16: Request GET /objects/quiet
echo '— step 16: Request GET /objects/quiet'
# Checked inside dosim only: objects served by: quiet → B
request 'GET' '/objects/quiet'
check_json '{"count":2,"hits":1}'
check_version "$V_B"

# Step 17: Request GET /objects/busy
echo '— step 17: Request GET /objects/busy'
# Checked inside dosim only: objects served by: busy → B
request 'GET' '/objects/busy'
check_json '{"count":6,"hits":1}'
check_version "$V_B"

echo '✓ hibernation-and-deferred-updates: every check that can be seen from outside held'
