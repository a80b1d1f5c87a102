package io.crosswind.operator.cloud.azure;

import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.cognitiveservices.fluent.AccountsClient;
import com.azure.resourcemanager.cognitiveservices.fluent.DeletedAccountsClient;
import com.azure.resourcemanager.cognitiveservices.fluent.DeploymentsClient;
import com.azure.resourcemanager.cognitiveservices.fluent.models.AccountInner;
import com.azure.resourcemanager.cognitiveservices.fluent.models.DeploymentInner;
import com.azure.resourcemanager.cognitiveservices.models.AccountProperties;
import com.azure.resourcemanager.cognitiveservices.models.Sku;
import com.azure.resourcemanager.cognitiveservices.models.ThrottlingRule;
import io.crosswind.api.v1alpha1.AzureTarget;
import io.crosswind.api.v1alpha1.Provider;
import io.crosswind.api.v1alpha1.TargetState;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.Credential;
import io.crosswind.operator.cloud.ManagementPacer;
import io.crosswind.operator.cloud.OpenAiProbe;
import io.crosswind.operator.cloud.Owner;
import io.crosswind.operator.cloud.ProbeResult;
import io.crosswind.operator.cloud.TargetDetails;
import io.crosswind.operator.cloud.TargetObservation;
import io.crosswind.operator.cloud.TargetObservation.CloudEvent;
import io.crosswind.operator.cloud.TargetProvider;
import io.crosswind.operator.cloud.TargetRequest;
import io.crosswind.operator.cloud.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Azure OpenAI targets through azure-resourcemanager-cognitiveservices: the account (checked, or
 * created when the spec says so and reused across endpoints), the model deployment (created,
 * updated, drift corrected), observed without ever waiting on a long-running operation.
 */
public final class AzureTargetProvider implements TargetProvider {

  static final Duration ACCOUNT_POLL = Duration.ofSeconds(5);
  static final Duration DEPLOYMENT_POLL = Duration.ofSeconds(3);
  static final Duration FAILED_RETRY = Duration.ofMinutes(5);
  static final Set<String> SERVING_KINDS = Set.of("OpenAI", "AIServices");
  private static final Logger LOG = LoggerFactory.getLogger(AzureTargetProvider.class);

  private final AzureConnections connections;
  private final AzureAccountKeys keys;
  private final OpenAiProbe probe;

  public AzureTargetProvider(AzureSettings settings) {
    this(settings, ManagementPacer.off());
  }

  /** A provider whose management calls go through {@code pacer}. */
  public AzureTargetProvider(AzureSettings settings, ManagementPacer pacer) {
    this.connections = new AzureConnections(settings, pacer);
    this.keys = new AzureAccountKeys(settings.credentialGrace(), settings.clock());
    this.probe = new OpenAiProbe(settings.dataPlane(), settings.clock());
  }

  @Override
  public Provider provider() {
    return Provider.AzureOpenAI;
  }

  @Override
  public TargetObservation reconcile(TargetRequest request) {
    return connected(request, (connection, accountId) -> observe(request, connection, accountId));
  }

  /** Connects with the target's identity, runs the step, and turns any failure into a reason. */
  private TargetObservation connected(
      TargetRequest request,
      java.util.function.BiFunction<AzureConnections.Connection, String, TargetObservation> step) {
    AzureTarget azure = request.target().getAzure();
    AzureConnections.Connection connection =
        connections.connect(azure.getSubscriptionId(), request.credentials(), request.identity());
    if (connection.error() != null) {
      return TargetObservation.failed(connection.error(), null);
    }
    String accountId = accountId(connection.subscriptionId(), azure);
    try {
      return step.apply(connection, accountId);
    } catch (RuntimeException e) {
      CloudError error = AzureErrors.classify(e);
      LOG.info("Azure target {}: {}", request, error.reason());
      return TargetObservation.failed(error, accountId);
    }
  }

  private TargetObservation observe(
      TargetRequest request, AzureConnections.Connection connection, String accountId) {
    AzureTarget azure = request.target().getAzure();
    AccountsClient accounts = connection.manager().serviceClient().getAccounts();
    AccountInner account =
        findOrNull(() -> accounts.getByResourceGroup(azure.getResourceGroup(), accountName(azure)));
    TargetObservation accountProblem =
        checkAccount(
            request.owner(),
            azure,
            accounts,
            connection.manager().serviceClient().getDeletedAccounts(),
            account,
            accountId);
    if (accountProblem != null) {
      return accountProblem;
    }
    TargetObservation deployment =
        reconcileDeployment(
            request, azure, connection.manager().serviceClient().getDeployments(), accountId);
    if (deployment.state() != TargetState.Ready) {
      return deployment;
    }
    return keys.serve(
        request, accounts, account, accountId, AzureDeploymentSpec.of(request).name(), deployment);
  }

  /** Null when the account can take the deployment; otherwise what to report. */
  private TargetObservation checkAccount(
      Owner owner,
      AzureTarget azure,
      AccountsClient accounts,
      DeletedAccountsClient deletedAccounts,
      AccountInner account,
      String accountId) {
    var create = azure.getAccount().getCreate();
    if (account == null) {
      if (create == null) {
        return TargetObservation.failed(
            new CloudError(
                "AccountNotFound",
                "Azure AI account "
                    + accountName(azure)
                    + " does not exist in resource group "
                    + azure.getResourceGroup()
                    + "; create it, or set account.create to let Crosswind create it.",
                AzureErrors.CONFIGURATION),
            accountId);
      }
      // Azure keeps a deleted account for its retention period and refuses the name until the
      // account is restored or purged: restore one Crosswind made here, never someone else's.
      // Deleted accounts sit at subscription scope: an identity with roles on its resource
      // groups only may not look, and then the create says whether the name is held.
      AccountInner softDeleted =
          findOrNull(
              () ->
                  deletedAccounts.get(
                      create.getLocation(), azure.getResourceGroup(), accountName(azure)),
              "AuthorizationFailed");
      if (softDeleted != null && !owner.sameNamespace(softDeleted.tags())) {
        return TargetObservation.failed(
            new CloudError(
                "AccountSoftDeleted",
                "Azure AI account "
                    + accountName(azure)
                    + " was deleted recently and Azure keeps it for its retention period; it was"
                    + " not made by Crosswind for this namespace, so Crosswind will not restore it."
                    + " Purge it (az cognitiveservices account purge) or name another account.",
                AzureErrors.CONFIGURATION),
            accountId);
      }
      boolean restore = softDeleted != null;
      accounts.beginCreate(
          azure.getResourceGroup(),
          accountName(azure),
          new AccountInner()
              .withLocation(create.getLocation())
              .withKind(create.getKind() == null ? "AIServices" : create.getKind().name())
              .withSku(new Sku().withName("S0"))
              .withTags(Map.of(Owner.TAG, owner.tagValue()))
              .withProperties(
                  new AccountProperties()
                      .withCustomSubDomainName(accountName(azure))
                      .withRestore(restore ? Boolean.TRUE : null)));
      if (restore) {
        String restoring =
            "Restoring Azure AI account "
                + accountName(azure)
                + ", which Crosswind made here and Azure still keeps after its deletion.";
        return TargetObservation.provisioning(
            accountId,
            "AccountRestoring",
            restoring,
            ACCOUNT_POLL,
            List.of(new CloudEvent(false, "AccountRestoring", restoring)));
      }
      return TargetObservation.provisioning(
          accountId,
          "AccountCreating",
          "Creating Azure AI account " + accountName(azure) + " in " + create.getLocation() + ".",
          ACCOUNT_POLL,
          List.of(
              new CloudEvent(
                  false,
                  "AccountCreating",
                  "Creating Azure AI account " + accountName(azure) + ".")));
    }
    if (create != null && !owner.sameNamespace(account.tags())) {
      return TargetObservation.failed(
          new CloudError(
              "NotOwned",
              owner.sameCluster(account.tags())
                  ? "Azure AI account "
                      + accountName(azure)
                      + " was created by Crosswind for another namespace, and an account serves"
                      + " only the namespace that made it. To share it, a platform admin lists it"
                      + " in spec.azure[].accounts of a CloudGrant for this namespace and the"
                      + " target names it without account.create; or name another account."
                  : "Azure AI account "
                      + accountName(azure)
                      + " exists and was not created by Crosswind in"
                      + " this cluster, so Crosswind will not change it; remove account.create to"
                      + " use it as an existing account (a CloudGrant must list it), or name"
                      + " another account.",
              null),
          accountId);
    }
    String state =
        account.properties() == null || account.properties().provisioningState() == null
            ? ""
            : account.properties().provisioningState().toString();
    switch (state) {
      case "Succeeded" -> {}
      case "Failed" -> {
        return TargetObservation.failed(
            new CloudError(
                "AccountFailed",
                "Azure AI account " + accountName(azure) + " is in state Failed.",
                FAILED_RETRY),
            accountId);
      }
      default -> {
        return TargetObservation.provisioning(
            accountId,
            "AccountProvisioning",
            "Azure AI account " + accountName(azure) + " is " + state + ".",
            ACCOUNT_POLL,
            null);
      }
    }
    if (!SERVING_KINDS.contains(account.kind())) {
      return TargetObservation.failed(
          new CloudError(
              "AccountKindUnsupported",
              "Azure AI account "
                  + accountName(azure)
                  + " is of kind "
                  + account.kind()
                  + ", which cannot serve OpenAI models; use an OpenAI or AIServices account.",
              null),
          accountId);
    }
    if (account.properties().endpoint() == null
        || account.properties().customSubDomainName() == null) {
      return TargetObservation.failed(
          new CloudError(
              "AccountEndpointUnknown",
              "Azure AI account "
                  + accountName(azure)
                  + " has no custom subdomain, so it has no"
                  + " OpenAI endpoint of its own; give it one in Azure.",
              null),
          accountId);
    }
    return null;
  }

  private TargetObservation reconcileDeployment(
      TargetRequest request, AzureTarget azure, DeploymentsClient deployments, String accountId) {
    Owner owner = request.owner();
    AzureDeploymentSpec desired = AzureDeploymentSpec.of(request);
    String id = accountId + "/deployments/" + desired.name();
    String rg = azure.getResourceGroup();
    DeploymentInner found =
        findOrNull(() -> deployments.get(rg, accountName(azure), desired.name()));
    if (found == null) {
      deployments.beginCreateOrUpdate(
          rg, accountName(azure), desired.name(), desired.toInner(owner));
      return TargetObservation.provisioning(
          id,
          "DeploymentCreating",
          "Creating deployment " + desired.name() + " of " + desired.model() + ".",
          DEPLOYMENT_POLL,
          List.of(
              new CloudEvent(
                  false,
                  "DeploymentCreating",
                  "Creating Azure OpenAI deployment "
                      + desired.name()
                      + " of "
                      + desired.model()
                      + ".")));
    }
    if (!owner.owns(found.tags())) {
      return TargetObservation.failed(
          new CloudError(
              "NotOwned",
              "Deployment "
                  + desired.name()
                  + " in account "
                  + accountName(azure)
                  + " exists and was"
                  + " not made by this endpoint, so Crosswind will not change it; set"
                  + " deployment.name to another name.",
              null),
          id);
    }
    String state =
        found.properties() == null || found.properties().provisioningState() == null
            ? ""
            : found.properties().provisioningState().toString();
    if ("Failed".equals(state)) {
      deployments.beginCreateOrUpdate(
          rg, accountName(azure), desired.name(), desired.toInner(owner));
      return new TargetObservation(
          TargetState.Failed,
          "DeploymentFailed",
          "Deployment " + desired.name() + " is in state Failed; Crosswind submitted it again.",
          id,
          FAILED_RETRY,
          null,
          List.of(
              new CloudEvent(
                  true,
                  "DeploymentFailed",
                  "Deployment " + desired.name() + " failed; submitted again.")),
          null,
          null);
    }
    if (!"Succeeded".equals(state)) {
      return TargetObservation.provisioning(
          id,
          "DeploymentProvisioning",
          "Deployment " + desired.name() + " is " + state + ".",
          DEPLOYMENT_POLL,
          null);
    }
    List<String> drift = desired.drift(found);
    if (!drift.isEmpty()) {
      deployments.beginCreateOrUpdate(
          rg, accountName(azure), desired.name(), desired.toInner(owner));
      String changes = String.join(", ", drift);
      return TargetObservation.provisioning(
          id,
          "DeploymentUpdating",
          "Updating deployment " + desired.name() + ": " + changes + ".",
          DEPLOYMENT_POLL,
          List.of(
              new CloudEvent(
                  false,
                  "DeploymentUpdating",
                  "Deployment "
                      + desired.name()
                      + " differs from the spec ("
                      + changes
                      + "); updating it.")));
    }
    return TargetObservation.ready(
        id,
        "Deployment "
            + desired.name()
            + " serves "
            + found.properties().model().name()
            + " "
            + found.properties().model().version()
            + ".",
        details(found),
        null);
  }

  private static TargetDetails details(DeploymentInner d) {
    List<ThrottlingRule> limits = d.properties().rateLimits();
    return new TargetDetails(
        d.properties().model().version(),
        limits == null
            ? List.of()
            : limits.stream()
                .map(
                    l ->
                        l.key()
                            + "="
                            + Math.round(l.count())
                            + "/"
                            + Math.round(l.renewalPeriod())
                            + "s")
                .toList(),
        null,
        null);
  }

  @Override
  public ProbeResult probe(Upstream upstream, Credential credential, Duration timeout) {
    return probe.probe(upstream, credential, timeout);
  }

  @Override
  public TargetObservation delete(TargetRequest request) {
    return connected(
        request,
        (connection, accountId) -> {
          try {
            return remove(request, connection, accountId);
          } catch (ManagementException e) {
            String code = e.getValue() == null ? null : e.getValue().getCode();
            if (e.getResponse() != null
                && e.getResponse().getStatusCode() == 404
                && GONE_PARENTS.contains(code)) {
              // Someone deleted the resource group or the account: what Crosswind made in it
              // went with it, so there is nothing left to delete and nothing to wait for.
              return TargetObservation.deleting(
                  "Deleted",
                  "The target's "
                      + ("ResourceGroupNotFound".equals(code) ? "resource group " : "account ")
                      + ("ResourceGroupNotFound".equals(code)
                          ? request.target().getAzure().getResourceGroup()
                          : accountName(request.target().getAzure()))
                      + " no longer exists, and its deployment went with it.",
                  null,
                  null);
            }
            throw e;
          }
        });
  }

  /** What ARM answers (404) when a resource's resource group or parent account is gone. */
  private static final Set<String> GONE_PARENTS =
      Set.of("ResourceGroupNotFound", "ParentResourceNotFound");

  private TargetObservation remove(
      TargetRequest request, AzureConnections.Connection connection, String accountId) {
    AzureTarget azure = request.target().getAzure();
    String rg = azure.getResourceGroup();
    DeploymentsClient deployments = connection.manager().serviceClient().getDeployments();
    AzureDeploymentSpec desired = AzureDeploymentSpec.of(request);
    DeploymentInner found =
        findOrNull(() -> deployments.get(rg, accountName(azure), desired.name()));
    if (found != null && request.owner().owns(found.tags())) {
      deployments.beginDelete(rg, accountName(azure), desired.name());
      return TargetObservation.deleting(
          "DeploymentDeleting",
          "Deleting deployment " + desired.name() + ".",
          accountId + "/deployments/" + desired.name(),
          DEPLOYMENT_POLL);
    }
    if (azure.getAccount().getCreate() != null) {
      AccountsClient accounts = connection.manager().serviceClient().getAccounts();
      AccountInner account = findOrNull(() -> accounts.getByResourceGroup(rg, accountName(azure)));
      if (account != null && request.owner().sameNamespace(account.tags())) {
        // Deleting an account deletes every deployment in it: only an empty one goes, so a
        // deployment someone else added keeps the account.
        boolean empty = deployments.list(rg, accountName(azure)).stream().findAny().isEmpty();
        if (empty) {
          accounts.beginDelete(rg, accountName(azure));
        }
      }
    }
    return TargetObservation.deleting(
        "Deleted", "The target's Azure resources are gone.", null, null);
  }

  private static String accountName(AzureTarget azure) {
    return azure.getAccount().getName();
  }

  static String accountId(String subscription, AzureTarget azure) {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + azure.getResourceGroup()
        + "/providers/Microsoft.CognitiveServices/accounts/"
        + accountName(azure);
  }

  /** The resource, or null when Azure answers 404. */
  private static <T> T findOrNull(Supplier<T> get) {
    return findOrNull(get, null);
  }

  /** The resource, or null when Azure says it is not there (or answers {@code alsoNull}). */
  private static <T> T findOrNull(Supplier<T> get, String alsoNull) {
    try {
      return get.get();
    } catch (ManagementException e) {
      String code = e.getValue() == null ? null : e.getValue().getCode();
      if (e.getResponse() != null
          && e.getResponse().getStatusCode() == 404
          && Set.of("ResourceNotFound", "DeploymentNotFound").contains(code)) {
        return null;
      }
      if (alsoNull != null && alsoNull.equals(code)) {
        return null;
      }
      throw e;
    }
  }
}
