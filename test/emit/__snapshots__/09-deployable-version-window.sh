#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# deployable-version-window: the rollout of scenarios/09-deployable-version-window.yaml, as wrangler commands against your account.
# The 101st newest version cannot be deployed or rolled back to.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 09-deployable-version-window.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B 99 times (it gets no traffic yet)
echo '— step 2: Upload version B 99 times (it gets no traffic yet)'
i=0
while [ "$i" -lt 99 ]; do
  V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' --message 'One of many later uploads' | version_id)
  i=$((i + 1))
done

# Step 3: Deploy B@10,A@90
echo '— step 3: Deploy B@10,A@90'
$WRANGLER versions deploy "$V_B@10" "$V_A@90" --durable-objects-code-update-mode deferred 300s --yes
check_deployment 'B@10,A@90' 'B@10' 'A@90'

# Step 4: Upload version B (it gets no traffic yet)
echo '— step 4: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' --message 'One of many later uploads' | version_id)

# Step 5: Deploy B@20,A@80
echo '— step 5: Deploy B@20,A@80'
expect_refusal 'version-outside-window' $WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode deferred 300s --yes
check_deployment 'B@10,A@90' 'B@10' 'A@90'

# Step 6: Roll back to A
echo '— step 6: Roll back to A'
expect_refusal 'version-outside-window' $WRANGLER rollback "$V_A" --durable-objects-code-update-mode deferred 300s --yes

# Step 7: Deploy B@100
echo '— step 7: Deploy B@100'
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode deferred 300s --yes

echo '✓ deployable-version-window: every check that can be seen from outside held'
