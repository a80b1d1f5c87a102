-- Argo CD health of a crosswind.io RoutingPolicy (docs/gitops.md). Uses only Lua's base library,
-- which is all Argo CD opens for a health script by default.
local hs = {}

local accepted = nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Accepted" then
      accepted = c
    end
  end
end

local generation = obj.metadata.generation
if accepted == nil or obj.status.observedGeneration == nil
    or (generation ~= nil and obj.status.observedGeneration < generation)
    or (generation ~= nil and accepted.observedGeneration ~= nil and accepted.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to validate generation " .. tostring(generation) .. "."
  return hs
end
if accepted.status == "True" then
  hs.status = "Healthy"
elseif accepted.status == "False" then
  -- Invalid: the policy itself is wrong; only an edit helps.
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = accepted.message
return hs
