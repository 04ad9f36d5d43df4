#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# secrets-during-a-split: the rollout of scenarios/07-secrets-during-a-split.yaml, as wrangler commands against your account.
# 10215 during a split, versions secret put, then 10220 and a forced rollback.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 07-secrets-during-a-split.sh

secrets_file_A() { printf '%s' '{"API_TOKEN":"token-one"}' > "$WORK/secrets-A.json"; echo "$WORK/secrets-A.json"; }

# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' --var 'GREETING:Hi' | version_id)

# Step 3: Deploy B@20,A@80
echo '— step 3: Deploy B@20,A@80'
$WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes

# Step 4: secret put API_TOKEN
echo '— step 4: secret put API_TOKEN'
expect_refusal '10215' put_secret 'secret put' 'API_TOKEN' 'token-two'
check_deployment 'B@20,A@80' 'B@20' 'A@80'

# Step 5: versions secret put API_TOKEN
echo '— step 5: versions secret put API_TOKEN'
put_secret 'versions secret put' 'API_TOKEN' 'token-two' --tag 'B2'
V_B2=$(latest_version_id)
check_deployment 'B@20,A@80' 'B@20' 'A@80'

# Step 6: Deploy B2@20,A@80
echo '— step 6: Deploy B2@20,A@80'
# Checked inside dosim only: objects assigned: foo → A, bar → A, baz → A
# Checked inside dosim only: resets: {"step":{"min":0,"max":0}}
$WRANGLER versions deploy "$V_B2@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes

# Step 7: Deploy B2@100
echo '— step 7: Deploy B2@100'
# Checked inside dosim only: resets: {"total":{"min":3,"max":3},"step":{"min":3,"max":3}}
$WRANGLER versions deploy "$V_B2@100" --durable-objects-code-update-mode deferred 300s --yes

# Step 8: secret put API_TOKEN
echo '— step 8: secret put API_TOKEN'
# Checked inside dosim only: resets: {"total":{"min":6,"max":6},"step":{"min":3,"max":3}}
put_secret 'secret put' 'API_TOKEN' 'token-three'
V_B3=$(latest_version_id)
check_deployment 'B3@100' "$V_B3@100"

# Step 9: Roll back to A
echo '— step 9: Roll back to A'
# The platform refuses this step (10220); wrangler asks to confirm and, with --yes, goes on with force, so it is not run here.
check_deployment 'B3@100' "$V_B3@100"

# Step 10: Roll back to A
echo '— step 10: Roll back to A'
# Checked inside dosim only: resets: {"total":{"min":9,"max":9},"step":{"min":3,"max":3}}
$WRANGLER rollback "$V_A" --message 'Back to A and its old token' --durable-objects-code-update-mode deferred 300s --yes
check_deployment 'A@100' 'A@100'

echo '✓ secrets-during-a-split: every check that can be seen from outside held'
