#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# durable-object-migration: the rollout of scenarios/06-durable-object-migration.yaml, as wrangler commands against your account.
# 10211 on a versioned upload with a migration; a full deploy applies it; no rollback across it.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 06-durable-object-migration.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode deferred 300s | version_id)

# Step 2: Upload version B, which adds a migration
echo '— step 2: Upload version B, which adds a migration'
# Checked inside dosim only: version B adds the migration(s) [{"tag":"v2"}] on top of its config's: add them to the wrangler config before this upload
# Checked inside dosim only: the platform refuses this upload (10211)

# Step 3: Deploy version B at 100% (a full deploy)
echo '— step 3: Deploy version B at 100% (a full deploy)'
# Checked inside dosim only: objects assigned: foo → B, bar → B
# Checked inside dosim only: resets: {"step":{"min":2,"max":2}}
V_B=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'B' --message 'Apply migration v2' --durable-objects-code-update-mode deferred 300s | version_id)
check_deployment 'B@100' 'B@100'

# Step 4: Roll back to A
echo '— step 4: Roll back to A'
# The platform refuses this step (version-before-migration) once the scenario's migrations are in your config; add them to see it.

# Step 5: Roll back
echo '— step 5: Roll back'
# The platform refuses this step (version-before-migration) once the scenario's migrations are in your config; add them to see it.

# Step 6: Deploy A@100
echo '— step 6: Deploy A@100'
# The platform refuses this step (version-before-migration) once the scenario's migrations are in your config; add them to see it.
check_deployment 'B@100' 'B@100'

# Step 7: Upload version C, which adds a migration
echo '— step 7: Upload version C, which adds a migration'
# Checked inside dosim only: version C adds the migration(s) [{"tag":"v2"}] on top of its config's: add them to the wrangler config before this upload
V_C=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'C' --message 'After the migration' | version_id)

# Step 8: Deploy C@50,B@50
echo '— step 8: Deploy C@50,B@50'
$WRANGLER versions deploy "$V_C@50" "$V_B@50" --durable-objects-code-update-mode deferred 300s --yes
check_deployment 'C@50,B@50' 'C@50' 'B@50'

# Step 9: Roll back to B
echo '— step 9: Roll back to B'
$WRANGLER rollback "$V_B" --durable-objects-code-update-mode deferred 300s --yes
check_deployment 'B@100' 'B@100'

echo '✓ durable-object-migration: every check that can be seen from outside held'
