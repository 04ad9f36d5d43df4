#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# reordering-versions: the rollout of scenarios/02-reordering-versions.yaml, as wrangler commands against your account.
# Listing versions in another order between steps moves objects back and forth.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 02-reordering-versions.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' | version_id)

# Step 3: Deploy B@20,A@80
echo '— step 3: Deploy B@20,A@80'
# Checked inside dosim only: objects assigned: object-3 → B, object-4 → B, object-5 → B, object-7 → B, object-8 → B, object-9 → B, object-10 → B, object-11 → A
# Checked inside dosim only: resets: {"total":{"min":7,"max":7},"step":{"min":7,"max":7}}
$WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes

# Step 4 (reordered): Deploy A@50,B@50
echo '— step 4: Deploy A@50,B@50'
# Checked inside dosim only: objects assigned: object-3 → A, object-4 → A, object-5 → A, object-7 → A, object-8 → A, object-9 → A, object-10 → A, object-11 → B
# Checked inside dosim only: resets: {"total":{"min":15,"max":15},"step":{"min":8,"max":8},"perObject":{"object-3":{"min":2,"max":2},"object-11":{"min":1,"max":1},"object-1":{"min":0,"max":0}}}
$WRANGLER versions deploy "$V_A@50" "$V_B@50" --durable-objects-code-update-mode deferred 300s --yes

# Step 5: Deploy B@100
echo '— step 5: Deploy B@100'
# Checked inside dosim only: objects assigned: object-1 → B, object-3 → B, object-11 → B
# Checked inside dosim only: resets: {"total":{"min":26,"max":26},"step":{"min":11,"max":11},"perObject":{"object-1":{"min":1,"max":1},"object-3":{"min":3,"max":3},"object-11":{"min":1,"max":1}}}
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode deferred 300s --yes

echo '✓ reordering-versions: every check that can be seen from outside held'
