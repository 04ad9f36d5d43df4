#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# docs-progression: the rollout of scenarios/01-docs-progression.yaml, as wrangler commands against your account.
# A → B 20% → 50% → 100% over foo, bar and baz; every object resets once.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 01-docs-progression.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
# Checked inside dosim only: objects assigned: foo → A, bar → A, baz → A
# Checked inside dosim only: resets: {"total":{"min":0,"max":0}}
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --message 'First deployment (a plain deploy, 100%)' --durable-objects-code-update-mode immediate | version_id)

# Step 2: Request GET /
echo '— step 2: Request GET /'
request 'GET' '/'
check_status 200
check_body 'Hello from version A'
check_version "$V_A"

# Step 3: Request GET /objects/foo
echo '— step 3: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → A
request 'GET' '/objects/foo'
check_status 200
check_json '{"object":"foo","count":1,"hits":1}'
check_version "$V_A"

# Step 4: Request GET /objects/bar
echo '— step 4: Request GET /objects/bar'
# Checked inside dosim only: objects served by: bar → A
request 'GET' '/objects/bar'
check_status 200
check_version "$V_A"

# Step 5: Request GET /objects/baz
echo '— step 5: Request GET /objects/baz'
# Checked inside dosim only: objects served by: baz → A
request 'GET' '/objects/baz'
check_status 200
check_version "$V_A"

# Step 6: Upload version B (it gets no traffic yet)
echo '— step 6: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' --message 'The new version' --var 'GREETING:Howdy' | version_id)
check_deployment 'A@100' 'A@100'

# Step 7 (canary-20): Deploy B@20,A@80
echo '— step 7: Deploy B@20,A@80'
# Checked inside dosim only: objects assigned: foo → A, bar → A, baz → A
# Checked inside dosim only: resets: {"total":{"min":0,"max":0},"step":{"min":0,"max":0}}
$WRANGLER versions deploy "$V_B@20" "$V_A@80" --durable-objects-code-update-mode immediate --yes

# Step 8 (half): Deploy B@50,A@50
echo '— step 8: Deploy B@50,A@50'
# Checked inside dosim only: objects assigned: foo → B, bar → A, baz → A
# Checked inside dosim only: resets: {"total":{"min":1,"max":1},"step":{"min":1,"max":1},"perObject":{"foo":{"min":1,"max":1},"bar":{"min":0,"max":0},"baz":{"min":0,"max":0}}}
$WRANGLER versions deploy "$V_B@50" "$V_A@50" --durable-objects-code-update-mode immediate --yes

# Step 9: Request GET /objects/foo
echo '— step 9: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → B
# Checked inside dosim only: JSON {"count":2,"hits":1}, because under a split, dosim picks the version that serves a request from its seeded stream (for a version key, by its model of the platform's hash); the platform picks its own; and under a split, dosim assigns each object a version by its model of the platform's unpublished hash
request 'GET' '/objects/foo'
check_status 200

# Step 10 (complete): Deploy B@100
echo '— step 10: Deploy B@100'
# Checked inside dosim only: objects assigned: foo → B, bar → B, baz → B
# Checked inside dosim only: resets: {"total":{"min":3,"max":3},"step":{"min":2,"max":2},"perObject":{"foo":{"min":1,"max":1},"bar":{"min":1,"max":1},"baz":{"min":1,"max":1}}}
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode immediate --yes

# Step 11: Request GET /
echo '— step 11: Request GET /'
request 'GET' '/'
check_status 200
check_body 'Howdy from version B'
check_version "$V_B"

echo '✓ docs-progression: every check that can be seen from outside held'
