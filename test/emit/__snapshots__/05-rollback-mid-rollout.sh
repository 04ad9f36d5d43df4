#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# rollback-mid-rollout: the rollout of scenarios/05-rollback-mid-rollout.yaml, as wrangler commands against your account.
# A → B 20% → 50% → rollback → B 20% → 100%, counting resets per object.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 05-rollback-mid-rollout.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' | version_id)

# Step 3: Deploy B@20,A@80
echo '— step 3: Deploy B@20,A@80'
# Checked inside dosim only: resets: {"total":{"min":7,"max":7},"step":{"min":7,"max":7}}
$WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes

# Step 4: Deploy B@50,A@50
echo '— step 4: Deploy B@50,A@50'
# Checked inside dosim only: objects assigned: object-1 → B, object-3 → B, object-11 → A
# Checked inside dosim only: resets: {"total":{"min":11,"max":11},"step":{"min":4,"max":4}}
$WRANGLER versions deploy "$V_B@50" "$V_A@50" --durable-objects-code-update-mode deferred 300s --yes

# Step 5: Roll back
echo '— step 5: Roll back'
# Checked inside dosim only: objects assigned: object-1 → A, object-3 → A, object-11 → A
# Checked inside dosim only: resets: {"total":{"min":22,"max":22},"step":{"min":11,"max":11},"perObject":{"object-1":{"min":2,"max":2},"object-3":{"min":2,"max":2},"object-11":{"min":0,"max":0}}}
$WRANGLER rollback --message 'Errors on B; back to A' --durable-objects-code-update-mode deferred 300s --yes
check_deployment 'A@100' 'A@100'

# Step 6 (second-attempt): Deploy B@20,A@80
echo '— step 6: Deploy B@20,A@80'
# Checked inside dosim only: objects assigned: object-1 → A, object-3 → B
# Checked inside dosim only: resets: {"total":{"min":29,"max":29},"step":{"min":7,"max":7},"perObject":{"object-3":{"min":3,"max":3}}}
$WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes

# Step 7: Deploy B@100
echo '— step 7: Deploy B@100'
# Checked inside dosim only: resets: {"total":{"min":34,"max":34},"step":{"min":5,"max":5},"perObject":{"object-1":{"min":3,"max":3},"object-3":{"min":3,"max":3},"object-11":{"min":1,"max":1}}}
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode deferred 300s --yes

echo '✓ rollback-mid-rollout: every check that can be seen from outside held'
