package io.crosswind.simulators.azure;

import io.crosswind.simulators.TestCredentials;
import io.crosswind.simulators.azure.AzureCatalog.ModelVersion;
import io.crosswind.simulators.azure.AzureState.Account;
import io.crosswind.simulators.azure.AzureState.Deployment;
import io.crosswind.simulators.azure.AzureState.Operation;
import io.crosswind.simulators.azure.AzureState.Phase;
import io.crosswind.simulators.core.Calls;
import io.crosswind.simulators.core.Faults;
import io.crosswind.simulators.core.ManagementLimits;
import io.crosswind.simulators.core.Service;
import io.crosswind.simulators.core.SimulatedService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Azure Resource Manager for Microsoft.CognitiveServices at api-version 2024-10-01, the version
 * azure-resourcemanager-cognitiveservices 1.1.0 speaks: accounts (create or update, get, list,
 * delete, listKeys, regenerateKey), deployments (create or update, get, list, delete), the model
 * catalog and quota usages of a region. Creates and updates are long-running operations as ARM does
 * them: 201 or 200 with provisioningState Creating or Updating, an Azure-AsyncOperation URL and
 * Retry-After, then Succeeded (or Failed) after a while. Errors use ARM's envelope and codes.
 */
public final class ArmSimulator extends SimulatedService {

  public static final String API_VERSION = "2024-10-01";
  static final String PROVIDER = "Microsoft.CognitiveServices";
  static final String ACCOUNT_PREFIX =
      "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.CognitiveServices/accounts/:account";

  private final TestCredentials credentials;
  private final EntraTokens tokens;
  private final EntraDirectory directory;
  private final AzureState state;
  private final AzureCatalog catalog;
  private final Duration operationTime;
  private final Supplier<String> dataPlaneUrl;

  /**
   * @param directory the applications and their role assignments, which every request is checked
   *     against
   * @param operationTime how long creates and updates take when no fault says otherwise
   * @param dataPlaneUrl the base URL of the Azure OpenAI data plane simulator
   */
  public ArmSimulator(
      Faults faults,
      Calls calls,
      Clock clock,
      TestCredentials credentials,
      EntraTokens tokens,
      EntraDirectory directory,
      AzureState state,
      AzureCatalog catalog,
      Duration operationTime,
      Supplier<String> dataPlaneUrl) {
    super(faults, calls, clock);
    this.credentials = credentials;
    this.tokens = tokens;
    this.directory = directory;
    this.state = state;
    this.catalog = catalog;
    this.operationTime = operationTime;
    this.dataPlaneUrl = dataPlaneUrl;
  }

  @Override
  public Service service() {
    return Service.ARM;
  }

  @Override
  protected void routes(Router router) {
    router.route("/subscriptions/:sub/*").handler(this::authorize);
    String accounts =
        "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.CognitiveServices/accounts";
    router.get(accounts).handler(rc -> op(rc, "ListAccounts", false, this::listAccounts));
    router
        .get("/subscriptions/:sub/providers/Microsoft.CognitiveServices/accounts")
        .handler(rc -> op(rc, "ListAccounts", false, this::listAccounts));
    router
        .put(ACCOUNT_PREFIX)
        .handler(rc -> op(rc, "CreateOrUpdateAccount", true, this::putAccount));
    router.get(ACCOUNT_PREFIX).handler(rc -> op(rc, "GetAccount", false, this::getAccount));
    router.delete(ACCOUNT_PREFIX).handler(rc -> op(rc, "DeleteAccount", true, this::deleteAccount));
    router
        .post(ACCOUNT_PREFIX + "/listKeys")
        .handler(rc -> op(rc, "ListKeys", false, this::listKeys));
    router
        .post(ACCOUNT_PREFIX + "/regenerateKey")
        .handler(rc -> op(rc, "RegenerateKey", true, this::regenerateKey));
    router
        .get(ACCOUNT_PREFIX + "/deployments")
        .handler(rc -> op(rc, "ListDeployments", false, this::listDeployments));
    router
        .put(ACCOUNT_PREFIX + "/deployments/:deployment")
        .handler(rc -> op(rc, "CreateOrUpdateDeployment", true, this::putDeployment));
    router
        .get(ACCOUNT_PREFIX + "/deployments/:deployment")
        .handler(rc -> op(rc, "GetDeployment", false, this::getDeployment));
    router
        .delete(ACCOUNT_PREFIX + "/deployments/:deployment")
        .handler(rc -> op(rc, "DeleteDeployment", true, this::deleteDeployment));
    String location =
        "/subscriptions/:sub/providers/Microsoft.CognitiveServices/locations/:location";
    router.get(location + "/models").handler(rc -> op(rc, "ListModels", false, this::listModels));
    router.get(location + "/usages").handler(rc -> op(rc, "ListUsages", false, this::listUsages));
    String deleted = location + "/resourceGroups/:rg/deletedAccounts/:account";
    router.get(deleted).handler(rc -> op(rc, "GetDeletedAccount", false, this::getDeletedAccount));
    router.delete(deleted).handler(rc -> op(rc, "PurgeDeletedAccount", true, this::purge));
    router
        .get("/subscriptions/:sub/providers/Microsoft.CognitiveServices/deletedAccounts")
        .handler(rc -> op(rc, "ListDeletedAccounts", false, this::listDeletedAccounts));
    router
        .get(location + "/operationResults/:operation")
        .handler(rc -> op(rc, "GetOperationStatus", false, this::operationStatus));
  }

  // ---- common checks -------------------------------------------------------------------------

  private void authorize(RoutingContext rc) {
    String authorization = rc.request().getHeader("Authorization");
    if (authorization == null) {
      rc.response()
          .putHeader(
              "WWW-Authenticate",
              "Bearer authorization_uri=\"https://login.microsoftonline.com/"
                  + credentials.tenantId()
                  + "\", error=\"invalid_token\", error_description=\"The authentication failed"
                  + " because of missing 'Authorization' header.\"");
      armError(
          rc,
          401,
          "AuthenticationFailed",
          "Authentication failed. The 'Authorization' header is missing.");
      return;
    }
    java.util.Optional<EntraTokens.Grant> grant =
        tokens.valid(authorization, EntraTokens.ARM_RESOURCE, clock.instant());
    if (grant.isEmpty()) {
      rc.response()
          .putHeader(
              "WWW-Authenticate",
              "Bearer authorization_uri=\"https://login.microsoftonline.com/"
                  + credentials.tenantId()
                  + "\", error=\"invalid_token\", error_description=\"The access token is invalid"
                  + " or has expired.\"");
      armError(rc, 401, "InvalidAuthenticationToken", "The access token is invalid.");
      return;
    }
    String apiVersion = rc.request().getParam("api-version");
    if (apiVersion == null) {
      armError(
          rc,
          400,
          "MissingApiVersionParameter",
          "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    if (!API_VERSION.equals(apiVersion)) {
      armError(
          rc,
          400,
          "NoRegisteredProviderFound",
          "No registered resource provider found for location 'global' and API version '"
              + apiVersion
              + "' for type 'accounts'. The supported api-versions are '"
              + API_VERSION
              + "'.");
      return;
    }
    if (!credentials.subscriptionId().equalsIgnoreCase(rc.pathParam("sub"))) {
      armError(
          rc,
          404,
          "SubscriptionNotFound",
          "The subscription '" + rc.pathParam("sub") + "' could not be found.");
      return;
    }
    String path = rc.request().path();
    String clientId = grant.get().clientId();
    // The caller that started a long-running operation may poll it wherever its roles are.
    boolean polling = path.contains("/operationResults/") || path.contains("/operationStatuses/");
    if (!polling && !directory.authorized(clientId, path)) {
      String action = action(rc.request().method().name(), path);
      String scope =
          "POST".equals(rc.request().method().name())
              ? path.substring(0, path.lastIndexOf('/'))
              : path;
      armError(
          rc,
          403,
          "AuthorizationFailed",
          "The client '"
              + clientId
              + "' with object id '"
              + directory.objectId(clientId)
              + "' does not have authorization to perform action '"
              + action
              + "' over scope '"
              + scope
              + "' or the scope is invalid. If access was recently granted, please refresh your"
              + " credentials.");
      return;
    }
    if (!withinArmLimits(rc, clientId)) {
      return;
    }
    rc.next();
  }

  /**
   * ARM's throttling: a token bucket per subscription and principal and one per tenant and
   * principal for each kind of request (reads, writes, deletes; a POST action such as listKeys is a
   * write), with what is left in {@code x-ms-ratelimit-remaining-*} on every answer and 429 {@code
   * SubscriptionRequestsThrottled} with {@code Retry-After} when a bucket is empty.
   */
  private boolean withinArmLimits(RoutingContext rc, String principal) {
    String method = rc.request().method().name();
    String kind =
        switch (method) {
          case "GET", "HEAD" -> "reads";
          case "DELETE" -> "deletes";
          default -> "writes";
        };
    ManagementLimits.Limit limit =
        switch (kind) {
          case "reads" -> ManagementLimits.ARM_READS;
          case "deletes" -> ManagementLimits.ARM_DELETES;
          default -> ManagementLimits.ARM_WRITES;
        };
    String subscription = rc.pathParam("sub");
    String operation = method + " " + kind;
    for (String scope : new String[] {"subscription", "tenant"}) {
      String owner = scope.equals("tenant") ? credentials.tenantId() : subscription;
      ManagementLimits.Verdict verdict =
          limits.take("arm|" + scope + "|" + owner + "|" + principal + "|" + kind, limit);
      if (!verdict.allowed()) {
        limits.refused(service(), operation);
        rc.response().putHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        armError(
            rc,
            429,
            scope.equals("tenant") ? "TenantRequestsThrottled" : "SubscriptionRequestsThrottled",
            "Number of '"
                + kind.substring(0, kind.length() - 1)
                + "' requests for "
                + scope
                + " '"
                + owner
                + "' actor '"
                + principal
                + "' exceeded. Please try again after '"
                + verdict.retryAfterSeconds()
                + "' seconds after additional tokens are available. Refer to"
                + " https://aka.ms/arm-throttling");
        return false;
      }
      if (limits.scale() > 0 && !(scope.equals("tenant") && kind.equals("deletes"))) {
        rc.response()
            .putHeader(
                "x-ms-ratelimit-remaining-" + scope + "-" + kind,
                Long.toString(verdict.remaining()));
      }
    }
    return true;
  }

  /**
   * The Azure RBAC action a request needs, for example Microsoft.CognitiveServices/accounts/read.
   */
  static String action(String method, String path) {
    int providers = path.indexOf("/providers/");
    String verb =
        switch (method) {
          case "PUT", "PATCH" -> "write";
          case "DELETE" -> "delete";
          default -> "read";
        };
    if (providers < 0) {
      return "Microsoft.Resources/subscriptions/resourceGroups/" + verb;
    }
    String[] parts = path.substring(providers + "/providers/".length()).split("/");
    boolean post = "POST".equals(method);
    StringBuilder action = new StringBuilder(parts[0]);
    for (int i = 1; i < (post ? parts.length - 1 : parts.length); i += 2) {
      action.append('/').append(parts[i]);
    }
    return post ? action + "/" + parts[parts.length - 1] + "/action" : action + "/" + verb;
  }

  private void op(
      RoutingContext rc,
      String operation,
      boolean mutating,
      io.vertx.core.Handler<RoutingContext> action) {
    String scope = rc.pathParam("account") == null ? "*" : rc.pathParam("account");
    operation(
        rc,
        operation,
        scope,
        mutating,
        r -> {
          String rg = r.pathParam("rg");
          if (rg != null && !state.resourceGroups.contains(rg.toLowerCase())) {
            armError(
                r, 404, "ResourceGroupNotFound", "Resource group '" + rg + "' could not be found.");
            return;
          }
          action.handle(r);
        });
  }

  private Account existingAccount(RoutingContext rc) {
    Account account = state.account(rc.pathParam("rg"), rc.pathParam("account"));
    if (account == null) {
      armError(
          rc,
          404,
          "ResourceNotFound",
          "The Resource 'Microsoft.CognitiveServices/accounts/"
              + rc.pathParam("account")
              + "' under resource group '"
              + rc.pathParam("rg")
              + "' was not found. For more details please go to"
              + " https://aka.ms/ARMResourceNotFoundFix");
    }
    return account;
  }

  /**
   * The account a nested resource (a deployment) lives in, or ARM's answer when it does not exist:
   * 404 ParentResourceNotFound, as ARM answers for every child of a missing parent.
   */
  private Account parentAccount(RoutingContext rc) {
    Account account = state.account(rc.pathParam("rg"), rc.pathParam("account"));
    if (account == null) {
      armError(
          rc,
          404,
          "ParentResourceNotFound",
          "Can not perform requested operation on nested resource. Parent resource '"
              + rc.pathParam("account")
              + "' not found.");
    }
    return account;
  }

  // ---- accounts ------------------------------------------------------------------------------

  private void putAccount(RoutingContext rc) {
    JsonObject body = jsonBody(rc);
    if (body == null) {
      armError(
          rc,
          400,
          "InvalidRequestContent",
          "The request content was invalid and could not be deserialized.");
      return;
    }
    String name = rc.pathParam("account");
    String location = body.getString("location", "").toLowerCase().replace(" ", "");
    String kind = body.getString("kind");
    JsonObject properties = body.getJsonObject("properties", new JsonObject());
    String subdomain = properties.getString("customSubDomainName");
    if (!catalog.offersLocation(location)) {
      armError(
          rc,
          400,
          "LocationNotAvailableForResourceType",
          "The provided location '"
              + location
              + "' is not available for resource type"
              + " 'Microsoft.CognitiveServices/accounts'.");
      return;
    }
    if (!Set.of("OpenAI", "AIServices").contains(kind)) {
      armError(
          rc,
          400,
          "InvalidKind",
          "The kind '" + kind + "' is not supported for an OpenAI deployment in this simulator.");
      return;
    }
    Account owner = subdomain == null ? null : state.accountBySubdomain(subdomain);
    if (owner != null
        && !(owner.name.equalsIgnoreCase(name)
            && owner.resourceGroup.equalsIgnoreCase(rc.pathParam("rg")))) {
      armError(
          rc,
          409,
          "CustomDomainInUse",
          "Custom domain name '" + subdomain + "' is already in use by another account.");
      return;
    }
    Instant now = clock.instant();
    Duration takes = faults.operationTime(Service.ARM, name, operationTime);
    boolean fails = faults.operationsFail(Service.ARM, name);
    Account account;
    boolean created;
    synchronized (state) {
      account = state.account(rc.pathParam("rg"), name);
      created = account == null;
      String key = AzureState.key(rc.pathParam("rg"), name);
      Account softDeleted = created ? state.deletedAccounts.get(key) : null;
      if (softDeleted != null && !properties.getBoolean("restore", false)) {
        armError(
            rc,
            409,
            "FlagMustBeSetForRestore",
            "An existing resource with ID '"
                + accountId(softDeleted)
                + "' has been soft-deleted. To restore the resource, you must specify 'restore' to"
                + " be 'true' in the property. If you don't want to restore existing resource,"
                + " please purge it first.");
        return;
      }
      if (softDeleted != null) {
        // Restored as it was deleted: its keys, without deployments.
        account = state.deletedAccounts.remove(key);
        account.deployments.clear();
        state.accounts.put(key, account);
      } else if (created) {
        account = new Account(rc.pathParam("rg"), name, location);
        state.accounts.put(key, account);
      } else if (!account.location.equals(location)) {
        armError(
            rc,
            409,
            "LocationCannotBeChanged",
            "The location of account '"
                + name
                + "' cannot be changed from '"
                + account.location
                + "'.");
        return;
      } else if (account.customSubDomain != null && !account.customSubDomain.equals(subdomain)) {
        armError(
            rc,
            400,
            "CustomDomainCannotBeChanged",
            "The custom subdomain of an account cannot be changed.");
        return;
      }
      account.kind = kind;
      account.customSubDomain = subdomain;
      account.tags = tags(body);
      account.readyAt = now.plus(takes);
      account.failed = fails;
    }
    startOperation(
        rc,
        created ? 201 : 200,
        account.location,
        resourceKey(account, null),
        takes,
        fails,
        "The account could not be provisioned (injected failure).");
    sendJson(rc, created ? 201 : 200, accountJson(account, !created));
  }

  private void getAccount(RoutingContext rc) {
    Account account = existingAccount(rc);
    if (account != null) {
      sendOk(rc, accountJson(account, false));
    }
  }

  private void listAccounts(RoutingContext rc) {
    String rg = rc.pathParam("rg");
    JsonArray value = new JsonArray();
    state.accounts.values().stream()
        .filter(a -> rg == null || a.resourceGroup.equalsIgnoreCase(rg))
        .sorted((a, b) -> a.name.compareToIgnoreCase(b.name))
        .forEach(a -> value.add(accountJson(a, false)));
    sendOk(rc, new JsonObject().put("value", value));
  }

  /** Deleting an account soft-deletes it, as Azure does: it can be restored or purged. */
  private void deleteAccount(RoutingContext rc) {
    String key = AzureState.key(rc.pathParam("rg"), rc.pathParam("account"));
    Account removed;
    synchronized (state) {
      removed = state.accounts.remove(key);
      if (removed != null) {
        state.deletedAccounts.put(key, removed);
      }
    }
    withRequestId(rc).setStatusCode(removed == null ? 204 : 200).end();
  }

  private Account deletedAccount(RoutingContext rc) {
    Account account =
        state.deletedAccounts.get(AzureState.key(rc.pathParam("rg"), rc.pathParam("account")));
    if (account == null || !account.location.equalsIgnoreCase(rc.pathParam("location"))) {
      armError(
          rc,
          404,
          "ResourceNotFound",
          "The deleted account '" + rc.pathParam("account") + "' was not found.");
      return null;
    }
    return account;
  }

  private void getDeletedAccount(RoutingContext rc) {
    Account account = deletedAccount(rc);
    if (account != null) {
      sendOk(rc, accountJson(account, false));
    }
  }

  private void purge(RoutingContext rc) {
    if (deletedAccount(rc) != null) {
      state.deletedAccounts.remove(AzureState.key(rc.pathParam("rg"), rc.pathParam("account")));
      withRequestId(rc).setStatusCode(200).end();
    }
  }

  private void listDeletedAccounts(RoutingContext rc) {
    JsonArray value = new JsonArray();
    state.deletedAccounts.values().forEach(a -> value.add(accountJson(a, false)));
    sendOk(rc, new JsonObject().put("value", value));
  }

  private void listKeys(RoutingContext rc) {
    Account account = existingAccount(rc);
    if (account != null) {
      sendOk(rc, new JsonObject().put("key1", account.key1).put("key2", account.key2));
    }
  }

  private void regenerateKey(RoutingContext rc) {
    Account account = existingAccount(rc);
    if (account == null) {
      return;
    }
    JsonObject body = jsonBody(rc);
    String keyName = body == null ? null : body.getString("keyName");
    if ("Key1".equalsIgnoreCase(keyName)) {
      account.key1 = AzureState.newKey();
    } else if ("Key2".equalsIgnoreCase(keyName)) {
      account.key2 = AzureState.newKey();
    } else {
      armError(rc, 400, "InvalidKeyName", "keyName must be Key1 or Key2, not '" + keyName + "'.");
      return;
    }
    sendOk(rc, new JsonObject().put("key1", account.key1).put("key2", account.key2));
  }

  // ---- deployments ---------------------------------------------------------------------------

  private void putDeployment(RoutingContext rc) {
    Account account = parentAccount(rc);
    if (account == null) {
      return;
    }
    Instant now = clock.instant();
    if (account.phase(now, false) != Phase.SUCCEEDED) {
      armError(
          rc,
          409,
          "AccountProvisioningStateInvalid",
          "Call to Microsoft.CognitiveServices/accounts failed. Account "
              + account.name
              + " in state "
              + provisioningState(account.phase(now, false))
              + ", only accounts in state Succeeded can take deployments.");
      return;
    }
    JsonObject body = jsonBody(rc);
    JsonObject sku = body == null ? null : body.getJsonObject("sku");
    JsonObject model =
        body == null
            ? null
            : body.getJsonObject("properties", new JsonObject()).getJsonObject("model");
    if (sku == null
        || model == null
        || sku.getString("name") == null
        || model.getString("name") == null) {
      armError(
          rc,
          400,
          "InvalidResourceProperties",
          "The deployment needs sku.name and properties.model.name.");
      return;
    }
    String format = model.getString("format", "OpenAI");
    String modelName = model.getString("name");
    String version = model.getString("version");
    String skuName = sku.getString("name");
    int capacity = sku.getInteger("capacity", 1);
    var offered = catalog.find(format, modelName, version);
    if (offered.isEmpty()) {
      armError(
          rc,
          400,
          "DeploymentModelNotSupported",
          "The model 'Format:"
              + format
              + ", Name:"
              + modelName
              + ", Version:"
              + (version == null ? "" : version)
              + "' of account deployment is not supported.");
      return;
    }
    ModelVersion mv = offered.get();
    if (!mv.skus().contains(skuName)) {
      armError(
          rc,
          400,
          "InvalidResourceProperties",
          "The specified SKU '"
              + skuName
              + "' for model '"
              + modelName
              + " "
              + mv.version()
              + "' is not supported in this region '"
              + account.location
              + "'.");
      return;
    }
    if (capacity < 1) {
      armError(rc, 400, "InvalidCapacity", "The capacity should be greater than 0.");
      return;
    }
    String depName = rc.pathParam("deployment");
    String usage = AzureCatalog.usageName(skuName, modelName);
    int limit = catalog.quota(skuName);
    Duration takes = faults.operationTime(Service.ARM, account.name, operationTime);
    boolean fails = faults.operationsFail(Service.ARM, account.name);
    Deployment deployment;
    boolean created;
    synchronized (state) {
      int used = usage(account.location, usage, account.name, depName);
      if (used + capacity > limit) {
        armError(
            rc,
            400,
            "InsufficientQuota",
            "This operation require "
                + capacity
                + " new capacity in quota "
                + unit(skuName)
                + " - "
                + modelName
                + " "
                + skuName
                + ", which is bigger than the current available capacity "
                + Math.max(0, limit - used)
                + ". The current quota usage is "
                + used
                + " and the quota limit is "
                + limit
                + " for quota "
                + unit(skuName)
                + " - "
                + modelName
                + " "
                + skuName
                + ".");
        return;
      }
      deployment = account.deployments.get(depName);
      created = deployment == null;
      if (created) {
        deployment = new Deployment(depName);
        account.deployments.put(depName, deployment);
      }
      deployment.modelFormat = format;
      deployment.modelName = modelName;
      deployment.modelVersion = mv.version();
      deployment.sku = skuName;
      deployment.capacity = capacity;
      deployment.versionUpgradeOption =
          body.getJsonObject("properties")
              .getString("versionUpgradeOption", "OnceNewDefaultVersionAvailable");
      deployment.tags = tags(body);
      deployment.updating = !created;
      deployment.readyAt = now.plus(takes);
      deployment.failed = fails;
      deployment.failure =
          fails ? "The deployment could not be provisioned (injected failure)." : null;
    }
    startOperation(
        rc,
        created ? 201 : 200,
        account.location,
        resourceKey(account, depName),
        takes,
        fails,
        deployment.failure);
    sendJson(rc, created ? 201 : 200, deploymentJson(account, deployment));
  }

  private void getDeployment(RoutingContext rc) {
    Account account = parentAccount(rc);
    if (account == null) {
      return;
    }
    Deployment deployment = account.deployments.get(rc.pathParam("deployment"));
    if (deployment == null) {
      armError(
          rc,
          404,
          "DeploymentNotFound",
          "Deployment '"
              + rc.pathParam("deployment")
              + "' does not exist in account '"
              + account.name
              + "'.");
      return;
    }
    sendOk(rc, deploymentJson(account, deployment));
  }

  private void listDeployments(RoutingContext rc) {
    Account account = parentAccount(rc);
    if (account == null) {
      return;
    }
    JsonArray value = new JsonArray();
    account.deployments.values().stream()
        .sorted((a, b) -> a.name.compareTo(b.name))
        .forEach(d -> value.add(deploymentJson(account, d)));
    sendOk(rc, new JsonObject().put("value", value));
  }

  private void deleteDeployment(RoutingContext rc) {
    Account account = parentAccount(rc);
    if (account == null) {
      return;
    }
    Deployment removed = account.deployments.remove(rc.pathParam("deployment"));
    withRequestId(rc).setStatusCode(removed == null ? 204 : 200).end();
  }

  // ---- region-level listings -----------------------------------------------------------------

  private void listModels(RoutingContext rc) {
    String location = rc.pathParam("location");
    JsonArray value = new JsonArray();
    if (catalog.offersLocation(location)) {
      for (ModelVersion m : catalog.models()) {
        JsonArray skus = new JsonArray();
        m.skus().stream()
            .sorted()
            .forEach(
                s ->
                    skus.add(
                        new JsonObject()
                            .put("name", s)
                            .put("usageName", AzureCatalog.usageName(s, m.name()))
                            .put(
                                "capacity",
                                new JsonObject()
                                    .put("default", 10)
                                    .put("maximum", catalog.quota(s)))));
        value.add(
            new JsonObject()
                .put("kind", "OpenAI")
                .put("skuName", "S0")
                .put(
                    "model",
                    new JsonObject()
                        .put("format", m.format())
                        .put("name", m.name())
                        .put("version", m.version())
                        .put("isDefaultVersion", m.isDefault())
                        .put("lifecycleStatus", m.lifecycleStatus())
                        .put(
                            "capabilities",
                            new JsonObject().put("chatCompletion", "true").put("responses", "true"))
                        .put("skus", skus)));
      }
    }
    sendOk(rc, new JsonObject().put("value", value));
  }

  private void listUsages(RoutingContext rc) {
    String location = rc.pathParam("location");
    JsonArray value = new JsonArray();
    catalog.models().stream()
        .map(ModelVersion::name)
        .distinct()
        .sorted()
        .forEach(
            model -> {
              for (String sku : AzureCatalog.ALL_SKUS.stream().sorted().toList()) {
                String usage = AzureCatalog.usageName(sku, model);
                value.add(
                    new JsonObject()
                        .put(
                            "name",
                            new JsonObject()
                                .put("value", usage)
                                .put("localizedValue", unit(sku) + " - " + model + " - " + sku))
                        .put("currentValue", usage(location, usage, null, null))
                        .put("limit", catalog.quota(sku))
                        .put("unit", "Count"));
              }
            });
    sendOk(rc, new JsonObject().put("value", value));
  }

  private void operationStatus(RoutingContext rc) {
    Operation op = state.operations.get(rc.pathParam("operation"));
    if (op == null) {
      armError(
          rc,
          404,
          "OperationNotFound",
          "The operation '" + rc.pathParam("operation") + "' was not found.");
      return;
    }
    boolean done = !clock.instant().isBefore(op.doneAt());
    JsonObject body = new JsonObject().put("id", rc.request().path()).put("name", op.id());
    if (!done) {
      rc.response().putHeader("Retry-After", "1");
      body.put("status", "InProgress");
    } else if (op.fails()) {
      body.put("status", "Failed")
          .put(
              "error",
              new JsonObject().put("code", "ProvisioningFailed").put("message", op.failure()));
    } else {
      body.put("status", "Succeeded");
    }
    sendOk(rc, body);
  }

  // ---- representations -----------------------------------------------------------------------

  private JsonObject accountJson(Account a, boolean updating) {
    Phase phase = a.phase(clock.instant(), updating);
    String endpoint =
        a.customSubDomain == null
            ? "https://" + a.location + ".api.cognitive.microsoft.com/"
            : dataPlaneUrl.get() + "/" + a.customSubDomain + "/";
    JsonObject properties =
        new JsonObject()
            .put("provisioningState", provisioningState(phase))
            .put("endpoint", endpoint)
            .put("publicNetworkAccess", "Enabled")
            .put("endpoints", new JsonObject().put("OpenAI Language Model Instance API", endpoint));
    if (a.customSubDomain != null) {
      properties.put("customSubDomainName", a.customSubDomain);
    }
    return new JsonObject()
        .put("id", accountId(a))
        .put("name", a.name)
        .put("type", PROVIDER + "/accounts")
        .put("location", a.location)
        .put("kind", a.kind)
        .put("sku", new JsonObject().put("name", "S0"))
        .put("tags", new JsonObject(new HashMap<>(a.tags == null ? Map.of() : a.tags)))
        .put("etag", "\"" + Integer.toHexString(accountJsonHash(a)) + "\"")
        .put("properties", properties);
  }

  private static int accountJsonHash(Account a) {
    return (a.kind + a.customSubDomain + a.tags).hashCode();
  }

  private JsonObject deploymentJson(Account a, Deployment d) {
    Phase phase = d.phase(clock.instant());
    JsonObject properties =
        new JsonObject()
            .put(
                "model",
                new JsonObject()
                    .put("format", d.modelFormat)
                    .put("name", d.modelName)
                    .put("version", d.modelVersion))
            .put("provisioningState", provisioningState(phase))
            .put("versionUpgradeOption", d.versionUpgradeOption)
            .put("capabilities", new JsonObject().put("chatCompletion", "true"));
    if (!d.sku.contains("Provisioned")) {
      properties.put(
          "rateLimits",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("key", "request")
                      .put("renewalPeriod", 10)
                      .put("count", d.capacity))
              .add(
                  new JsonObject()
                      .put("key", "token")
                      .put("renewalPeriod", 60)
                      .put("count", d.capacity * 1000)));
    }
    return new JsonObject()
        .put("id", accountId(a) + "/deployments/" + d.name)
        .put("name", d.name)
        .put("type", PROVIDER + "/accounts/deployments")
        .put("tags", new JsonObject(new HashMap<>(d.tags)))
        .put("sku", new JsonObject().put("name", d.sku).put("capacity", d.capacity))
        .put("properties", properties);
  }

  private String accountId(Account a) {
    return "/subscriptions/"
        + credentials.subscriptionId()
        + "/resourceGroups/"
        + a.resourceGroup
        + "/providers/"
        + PROVIDER
        + "/accounts/"
        + a.name;
  }

  static String provisioningState(Phase phase) {
    return switch (phase) {
      case CREATING -> "Creating";
      // The 2024-10-01 specification has no Updating state; an update in progress is Accepted.
      case UPDATING -> "Accepted";
      case SUCCEEDED -> "Succeeded";
      case FAILED -> "Failed";
    };
  }

  private static Map<String, String> tags(JsonObject body) {
    Map<String, String> tags = new HashMap<>();
    JsonObject json = body.getJsonObject("tags");
    if (json != null) {
      json.forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return tags;
  }

  /** Capacity in use for a usage name in a region, leaving out one deployment being replaced. */
  private int usage(String location, String usageName, String skipAccount, String skipDeployment) {
    int used = 0;
    for (Account a : state.accounts.values()) {
      if (!a.location.equals(location)) {
        continue;
      }
      for (Deployment d : a.deployments.values()) {
        boolean replaced = a.name.equals(skipAccount) && d.name.equals(skipDeployment);
        if (!replaced && AzureCatalog.usageName(d.sku, d.modelName).equals(usageName)) {
          used += d.capacity;
        }
      }
    }
    return used;
  }

  private static String unit(String sku) {
    return sku.contains("Provisioned")
        ? "Provisioned Throughput Units"
        : "Tokens Per Minute (thousands)";
  }

  private static String resourceKey(Account a, String deployment) {
    return AzureState.key(a.resourceGroup, a.name) + (deployment == null ? "" : "/" + deployment);
  }

  private void startOperation(
      RoutingContext rc,
      int status,
      String location,
      String resourceKey,
      Duration takes,
      boolean fails,
      String failure) {
    String id = UUID.randomUUID().toString();
    state.operations.put(
        id, new Operation(id, resourceKey, clock.instant().plus(takes), fails, failure));
    rc.response()
        .putHeader(
            "Azure-AsyncOperation",
            baseUrl()
                + "/subscriptions/"
                + credentials.subscriptionId()
                + "/providers/"
                + PROVIDER
                + "/locations/"
                + location
                + "/operationResults/"
                + id
                + "?api-version="
                + API_VERSION)
        .putHeader("Retry-After", "1");
  }

  // ---- responses -----------------------------------------------------------------------------

  private io.vertx.core.http.HttpServerResponse withRequestId(RoutingContext rc) {
    String id = requestId();
    return rc.response()
        .putHeader("x-ms-request-id", id)
        .putHeader("x-ms-correlation-request-id", id);
  }

  private void sendOk(RoutingContext rc, JsonObject body) {
    withRequestId(rc);
    sendJson(rc, 200, body);
  }

  void armError(RoutingContext rc, int status, String code, String message) {
    withRequestId(rc);
    sendJson(
        rc,
        status,
        new JsonObject()
            .put(
                "error",
                new JsonObject()
                    .put("code", code)
                    .put("message", message)
                    .put("details", new JsonArray())));
  }

  @Override
  protected void sendError(
      RoutingContext rc, int status, String code, String message, long retryAfterSeconds) {
    if (retryAfterSeconds > 0) {
      rc.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
    armError(rc, status, status == 429 ? "TooManyRequests" : code, message);
  }
}
