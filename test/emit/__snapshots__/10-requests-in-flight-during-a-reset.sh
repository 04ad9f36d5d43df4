#!/bin/sh
# shellcheck disable=SC2034 # every version id is kept in a variable, for the steps you run by hand
# requests-in-flight-during-a-reset: the rollout of scenarios/10-requests-in-flight-during-a-reset.yaml, as wrangler commands against your account.
# Bulk traffic across a deployment; every failed request is a reported reset.
# Written by dosim replay --emit wrangler. Run:  BASE_URL=https://<your worker> sh 10-requests-in-flight-during-a-reset.sh


# Step 1: Deploy version A at 100% (a full deploy)
echo '— step 1: Deploy version A at 100% (a full deploy)'
V_A=$($WRANGLER deploy -c "$HERE"/'../../wrangler.toml' --tag 'A' --durable-objects-code-update-mode immediate | version_id)

# Step 2: Upload version B (it gets no traffic yet)
echo '— step 2: Upload version B (it gets no traffic yet)'
V_B=$($WRANGLER versions upload -c "$HERE"/'../../wrangler.toml' --tag 'B' | version_id)

# Step 3: Traffic: 3000 requests to /objects/{name}
echo '— step 3: Traffic: 3000 requests to /objects/{name}'
# Checked inside dosim only: dosim runs the deploy after 1500 of these requests, holding the requests of that moment for 200 ms; here it runs between them, with none in flight
# Checked inside dosim only: dosim spreads these requests over foo, bar, baz from a seeded stream; here they go to foo
# Checked inside dosim only: objects assigned: foo → B, bar → B, baz → B
# Checked inside dosim only: resets: {"total":{"min":3,"max":3},"perObject":{"foo":{"min":1,"max":1},"bar":{"min":1,"max":1},"baz":{"min":1,"max":1}}}
# Checked inside dosim only: invocation errors per version (trace events): {"B":{"min":0,"max":0}}
# Checked inside dosim only: failures: {"resets":{"min":3,"max":3},"other":{"min":0,"max":0},"lost":{"min":0,"max":0}}
# Checked inside dosim only: statuses {"200":{"min":2997,"max":2997},"503":{"min":3,"max":3}}, because dosim holds the requests of that moment in flight for 200 ms while the deploy lands, so which requests it fails is its own timing; sent one by one, none is in flight
# Checked inside dosim only: during the deploy: resets: {"step":{"min":3,"max":3}}
statuses=""
i=0
while [ "$i" -lt 1500 ]; do
  request 'GET' '/objects/foo'; statuses="$statuses $STATUS"
  i=$((i + 1))
done
# Deploy B@100, after 1500 requests
$WRANGLER versions deploy "$V_B@100" --durable-objects-code-update-mode immediate --yes
i=0
while [ "$i" -lt 1500 ]; do
  request 'GET' '/objects/foo'; statuses="$statuses $STATUS"
  i=$((i + 1))
done

# Step 4: Request GET /objects/foo
echo '— step 4: Request GET /objects/foo'
# Checked inside dosim only: objects served by: foo → B
# Checked inside dosim only: JSON {"object":"foo","version":{"tag":"B"},"count":989}, because in step 3, requests to foo in flight at the deploy failed inside dosim, and their writes with them
request 'GET' '/objects/foo'
check_status 200
check_version "$V_B"

# Step 5: Request GET /objects/bar
echo '— step 5: Request GET /objects/bar'
# Checked inside dosim only: JSON {"object":"bar","version":{"tag":"B"},"count":973}, because in step 3, requests to bar in flight at the deploy failed inside dosim, and their writes with them
request 'GET' '/objects/bar'
check_status 200

# Step 6: Request GET /objects/baz
echo '— step 6: Request GET /objects/baz'
# Checked inside dosim only: JSON {"object":"baz","version":{"tag":"B"},"count":1038}, because in step 3, requests to baz in flight at the deploy failed inside dosim, and their writes with them
request 'GET' '/objects/baz'
check_status 200

echo '✓ requests-in-flight-during-a-reset: every check that can be seen from outside held'
