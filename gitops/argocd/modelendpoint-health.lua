-- Argo CD health of a crosswind.io ModelEndpoint (docs/gitops.md). Uses only Lua's base library,
-- which is all Argo CD opens for a health script by default.
local hs = {}

local function condition(type)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function describe(c)
  if c.message ~= nil and c.message ~= "" then
    return c.reason .. ": " .. c.message
  end
  return c.reason
end

-- Reasons of Ready=False that waiting cures: the operator works on them, or retries by itself.
-- Ready=False for any other reason needs a person (docs/status.md says what to do).
local waits = {
  Provisioning = true,
  ReconcileError = true,
  Throttled = true,
  Paced = true,
  CloudUnavailable = true,
  Conflict = true,
  ResourceNotFound = true,
  AccountCreating = true,
  AccountProvisioning = true,
  AccountRestoring = true,
  DeploymentCreating = true,
  DeploymentUpdating = true,
  DeploymentProvisioning = true,
  ProfileCreating = true,
  ProfileReplacing = true,
  ThroughputCreating = true,
  ThroughputProvisioning = true,
}

local generation = obj.metadata.generation
if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Being deleted: the operator removes what it made for this endpoint."
  return hs
end
if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report on this endpoint."
  return hs
end
local ready = condition("Ready")
if obj.status.observedGeneration == nil or ready == nil
    or (generation ~= nil and obj.status.observedGeneration < generation)
    or (generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation) .. "."
  return hs
end
local degraded = condition("Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded)
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end
if ready.status == "False" and ready.reason ~= nil and not waits[ready.reason] then
  hs.status = "Degraded"
  hs.message = describe(ready)
  return hs
end
hs.status = "Progressing"
if ready.reason ~= nil then
  hs.message = describe(ready)
end
return hs
