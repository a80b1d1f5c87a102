package io.crosswind.simulators.azure;

import io.crosswind.simulators.TestCredentials;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The simulated tenant's applications and their Azure role assignments: who may sign in with what
 * (a client secret, or a federated credential that trusts one issuer and subject), and which scopes
 * Azure Resource Manager lets each act on.
 *
 * <p>The service principal of {@link TestCredentials} signs in with its secret or any unexpired
 * token meant for Entra's exchange, and holds a role at the root scope, as the simulators always
 * allowed. Other applications are registered by tests, as a platform team registers one workload
 * identity per CloudGrant: a federated credential for the operator's ServiceAccount and roles on
 * the grant's resource groups only. The simulator does not verify the federated token's signature
 * against the issuer's keys, which Entra ID does.
 */
public final class EntraDirectory {

  /** A federated identity credential: Entra trusts tokens with this issuer and subject. */
  public record FederatedCredential(String issuer, String subject) {}

  /**
   * One application (service principal).
   *
   * @param secret its client secret, null when it has none
   * @param anyFederatedToken whether every token meant for the exchange signs it in (the default
   *     application only)
   */
  record Application(
      String clientId,
      String objectId,
      String secret,
      boolean anyFederatedToken,
      List<FederatedCredential> federated,
      Set<String> scopes) {}

  private final Map<String, Application> applications = new ConcurrentHashMap<>();

  public EntraDirectory(TestCredentials credentials) {
    Set<String> root = new CopyOnWriteArraySet<>(Set.of("/"));
    applications.put(
        credentials.clientId(),
        new Application(
            credentials.clientId(),
            UUID.randomUUID().toString(),
            credentials.clientSecret(),
            true,
            List.of(),
            root));
  }

  /**
   * Registers a workload identity: an application that signs in only with a token of {@code
   * federated}'s issuer and subject, holding a role at each of {@code scopes} (ARM resource ids,
   * for example {@code /subscriptions/<id>/resourceGroups/rg-payments}).
   *
   * @return the new application's client id
   */
  public String registerWorkloadIdentity(FederatedCredential federated, String... scopes) {
    String clientId = UUID.randomUUID().toString();
    Set<String> assigned = new CopyOnWriteArraySet<>();
    for (String scope : scopes) {
      assigned.add(normalize(scope));
    }
    applications.put(
        clientId,
        new Application(
            clientId, UUID.randomUUID().toString(), null, false, List.of(federated), assigned));
    return clientId;
  }

  /** Gives an application a role at one more scope. */
  public void assignRole(String clientId, String scope) {
    application(clientId).orElseThrow().scopes().add(normalize(scope));
  }

  Optional<Application> application(String clientId) {
    return clientId == null ? Optional.empty() : Optional.ofNullable(applications.get(clientId));
  }

  /** Whether one of the application's role assignments covers the resource at {@code path}. */
  boolean authorized(String clientId, String path) {
    String resource = normalize(path);
    return application(clientId)
        .map(
            app ->
                app.scopes().stream()
                    .anyMatch(
                        scope ->
                            scope.equals("/")
                                || resource.equals(scope)
                                || resource.startsWith(scope + "/")))
        .orElse(false);
  }

  String objectId(String clientId) {
    return application(clientId).map(Application::objectId).orElse(clientId);
  }

  private static String normalize(String scope) {
    String s = scope.toLowerCase(Locale.ROOT);
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s;
  }
}
