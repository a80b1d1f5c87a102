package io.crosswind.simulators.azure;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * What exists in the simulated Azure subscription: resource groups, Cognitive Services accounts
 * with their keys, and the model deployments in them. Long-running operations are modelled by the
 * time each resource becomes ready: its provisioning state follows from the clock.
 */
public final class AzureState {

  /** Where a resource is in its life, as ARM's provisioningState reports it. */
  enum Phase {
    CREATING,
    UPDATING,
    SUCCEEDED,
    FAILED
  }

  /** A Cognitive Services account. Mutable fields change only under the state's lock. */
  static final class Account {
    final String resourceGroup;
    final String name;
    final String location;
    String kind;
    String customSubDomain;
    Map<String, String> tags;
    String key1 = newKey();
    String key2 = newKey();
    Instant readyAt;
    boolean failed;
    final Map<String, Deployment> deployments = new ConcurrentHashMap<>();

    Account(String resourceGroup, String name, String location) {
      this.resourceGroup = resourceGroup;
      this.name = name;
      this.location = location;
    }

    Phase phase(Instant now, boolean updating) {
      if (now.isBefore(readyAt)) {
        return updating ? Phase.UPDATING : Phase.CREATING;
      }
      return failed ? Phase.FAILED : Phase.SUCCEEDED;
    }
  }

  /** A model deployment in an account. */
  static final class Deployment {
    final String name;
    String modelFormat;
    String modelName;
    String modelVersion;
    String sku;
    int capacity;
    String versionUpgradeOption;
    Map<String, String> tags = Map.of();
    Instant readyAt;
    boolean updating;
    boolean failed;
    String failure;

    Deployment(String name) {
      this.name = name;
    }

    Phase phase(Instant now) {
      if (now.isBefore(readyAt)) {
        return updating ? Phase.UPDATING : Phase.CREATING;
      }
      return failed ? Phase.FAILED : Phase.SUCCEEDED;
    }
  }

  /** A long-running operation, for the Azure-AsyncOperation status URL. */
  record Operation(String id, String resourceKey, Instant doneAt, boolean fails, String failure) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  final Set<String> resourceGroups = new ConcurrentSkipListSet<>();
  final Map<String, Account> accounts = new ConcurrentHashMap<>();

  /**
   * Soft-deleted accounts by resource group and name, as Azure keeps them for the retention period:
   * the name cannot be created again until the account is restored or purged.
   */
  final Map<String, Account> deletedAccounts = new ConcurrentHashMap<>();

  final Map<String, Operation> operations = new ConcurrentHashMap<>();

  /** The resource groups of the subscription, lower case. */
  public Set<String> resourceGroups() {
    return resourceGroups;
  }

  static String key(String resourceGroup, String account) {
    return resourceGroup.toLowerCase() + "/" + account.toLowerCase();
  }

  Account account(String resourceGroup, String name) {
    return accounts.get(key(resourceGroup, name));
  }

  /** The account that owns this custom subdomain (the data plane's address). */
  Account accountBySubdomain(String subdomain) {
    return accounts.values().stream()
        .filter(a -> subdomain.equalsIgnoreCase(a.customSubDomain))
        .findFirst()
        .orElse(null);
  }

  static String newKey() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
