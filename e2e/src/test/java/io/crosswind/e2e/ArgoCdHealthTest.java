package io.crosswind.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.crosswind.e2e.ArgoCdHealth.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.LuaError;

/**
 * The Argo CD health scripts of gitops/argocd against ModelEndpoints and RoutingPolicies in every
 * state the operator writes (docs/status.md), run as Argo CD runs them (see {@link ArgoCdHealth}).
 * No cluster needed.
 */
class ArgoCdHealthTest {

  /** The reasons of Ready=False that waiting cures, as docs/gitops.md lists them. */
  static final Set<String> WAITING =
      Set.of(
          "Provisioning",
          "ReconcileError",
          "Throttled",
          "Paced",
          "CloudUnavailable",
          "Conflict",
          "ResourceNotFound",
          "AccountCreating",
          "AccountProvisioning",
          "AccountRestoring",
          "DeploymentCreating",
          "DeploymentUpdating",
          "DeploymentProvisioning",
          "ProfileCreating",
          "ProfileReplacing",
          "ThroughputCreating",
          "ThroughputProvisioning");

  static final ArgoCdHealth ENDPOINT = ArgoCdHealth.modelEndpoint();
  static final ArgoCdHealth POLICY = ArgoCdHealth.routingPolicy();

  /** A condition as the operator writes it, for generation 3 unless said otherwise. */
  static String condition(String type, String status, String reason, long generation) {
    return """
        {"type": "%s", "status": "%s", "reason": "%s", "observedGeneration": %d,
         "lastTransitionTime": "2026-12-01T10:00:00Z", "message": "%s is %s."}"""
        .formatted(type, status, reason, generation, type, reason);
  }

  static String condition(String type, String status, String reason) {
    return condition(type, status, reason, 3);
  }

  static String endpoint(String status) {
    return """
        {"apiVersion": "crosswind.io/v1alpha1", "kind": "ModelEndpoint",
         "metadata": {"name": "chat", "namespace": "payments", "generation": 3,
                      "finalizers": ["modelendpoints.crosswind.io/finalizer"]},
         "spec": {"model": "gpt-5.4", "targets": [{"name": "azure"}]}%s}"""
        .formatted(status == null ? "" : ", \"status\": " + status);
  }

  static String endpointStatus(long observedGeneration, String... conditions) {
    return """
        {"observedGeneration": %d, "activeTarget": "azure", "targetsReady": "1/1",
         "conditions": [%s]}"""
        .formatted(observedGeneration, String.join(", ", conditions));
  }

  static String serving(String degradedStatus, String degradedReason) {
    return endpoint(
        endpointStatus(
            3,
            condition("Ready", "True", "Serving"),
            condition("TargetsReady", "True", "AllTargetsReady"),
            condition("EndpointPublished", "True", "Published"),
            condition("Degraded", degradedStatus, degradedReason)));
  }

  static String notReady(String reason) {
    return endpoint(
        endpointStatus(
            3,
            condition("Ready", "False", reason),
            condition("TargetsReady", "False", "TargetFailed"),
            condition("Degraded", "False", "NotServing")));
  }

  @Test
  void anEndpointServingThroughItsFirstChoiceIsHealthy() {
    assertThat(ENDPOINT.of(serving("False", "AsPreferred")))
        .isEqualTo(new Result("Healthy", "Serving: Ready is Serving."));
  }

  @Test
  void anEndpointServingFromAFallbackOrAnUnhealthyTargetIsDegraded() {
    assertThat(ENDPOINT.of(serving("True", "ServingFromFallback")))
        .isEqualTo(new Result("Degraded", "ServingFromFallback: Degraded is ServingFromFallback."));
    assertThat(ENDPOINT.of(serving("True", "ActiveTargetUnhealthy")).status())
        .isEqualTo("Degraded");
  }

  @Test
  void anEndpointTheOperatorHasNotReportedOnIsProgressing() {
    assertThat(ENDPOINT.of(endpoint(null)).status()).isEqualTo("Progressing");
    assertThat(ENDPOINT.of(endpoint("{}")).status()).isEqualTo("Progressing");
    assertThat(ENDPOINT.of(endpoint(endpointStatus(3))).status()).isEqualTo("Progressing");
  }

  @Test
  void anEditTheOperatorHasNotSeenYetIsProgressingWhateverTheOldStatusSays() {
    String stale =
        endpoint(
            endpointStatus(
                2,
                condition("Ready", "True", "Serving", 2),
                condition("Degraded", "False", "x", 2)));
    assertThat(ENDPOINT.of(stale))
        .isEqualTo(new Result("Progressing", "Waiting for the operator to observe generation 3."));
    // After a failed reconcile the Ready condition carries the new generation, status not yet.
    String failedWrite =
        endpoint(endpointStatus(2, condition("Ready", "False", "ReconcileError", 3)));
    assertThat(ENDPOINT.of(failedWrite).status()).isEqualTo("Progressing");
    String staleCondition = endpoint(endpointStatus(3, condition("Ready", "False", "NotOwned", 2)));
    assertThat(ENDPOINT.of(staleCondition).status()).isEqualTo("Progressing");
  }

  @Test
  void provisioningAndAnUnknownReadyAreProgressing() {
    assertThat(ENDPOINT.of(notReady("Provisioning")))
        .isEqualTo(new Result("Progressing", "Provisioning: Ready is Provisioning."));
    assertThat(
            ENDPOINT
                .of(endpoint(endpointStatus(3, condition("Ready", "Unknown", "Provisioning"))))
                .status())
        .isEqualTo("Progressing");
  }

  @Test
  void anEndpointBeingDeletedIsProgressing() {
    String deleting =
        serving("False", "AsPreferred")
            .replace(
                "\"generation\": 3,",
                "\"generation\": 3, \"deletionTimestamp\": \"2026-12-01T11:00:00Z\",");
    assertThat(ENDPOINT.of(deleting).status()).isEqualTo("Progressing");
  }

  /** Every reason docs/status.md says can keep Ready False, with the health Argo CD shows. */
  static Stream<String> readyFalseReasons() throws IOException {
    List<String> reasons = new ArrayList<>();
    String section = "";
    Pattern row = Pattern.compile("^\\| (`[^|]+`) \\| ([^|]+) \\|");
    for (String line : Files.readAllLines(Resources.root().resolve("docs/status.md"))) {
      if (line.startsWith("### ")) {
        section = line;
        continue;
      }
      Matcher m = row.matcher(line);
      if (!m.find()) {
        continue;
      }
      String second = m.group(2).trim();
      boolean onReady =
          section.contains("ModelEndpoint's conditions")
              && second.contains("`Ready`")
              && second.contains("False");
      boolean failingTarget =
          section.contains("On a target")
              && (second.equals("Failed") || second.equals("Provisioning"));
      if (onReady || failingTarget) {
        Matcher names = Pattern.compile("`([A-Za-z]+)`").matcher(m.group(1));
        while (names.find()) {
          reasons.add(names.group(1));
        }
      }
    }
    assertThat(reasons).contains("Provisioning", "NotOwned", "QuotaExceeded", "Throttled");
    return reasons.stream().distinct();
  }

  @ParameterizedTest
  @MethodSource("readyFalseReasons")
  void readyFalseIsDegradedUnlessWaitingCuresIt(String reason) {
    Result health = ENDPOINT.of(notReady(reason));

    assertThat(health.status()).isEqualTo(WAITING.contains(reason) ? "Progressing" : "Degraded");
    assertThat(health.message()).startsWith(reason + ": ");
  }

  @Test
  void aReasonThisScriptDoesNotKnowIsDegradedSoThatNobodyWaitsForever() {
    assertThat(ENDPOINT.of(notReady("SomethingNew")).status()).isEqualTo("Degraded");
  }

  @Test
  void docsGitopsNamesEveryReasonWithItsHealth() throws IOException {
    String gitops = Files.readString(Resources.root().resolve("docs/gitops.md"));
    String waiting =
        gitops.substring(
            gitops.indexOf("The reasons that waiting cures"), gitops.indexOf("Every other reason"));
    readyFalseReasons()
        .forEach(
            reason ->
                assertThat(waiting.contains("`" + reason + "`"))
                    .as("docs/gitops.md lists %s with the reasons that waiting cures", reason)
                    .isEqualTo(WAITING.contains(reason)));
    readyFalseReasons().forEach(reason -> assertThat(gitops).contains("`" + reason + "`"));
  }

  static String policy(String status) {
    return """
        {"apiVersion": "crosswind.io/v1alpha1", "kind": "RoutingPolicy",
         "metadata": {"name": "aws-first", "namespace": "payments", "generation": 3},
         "spec": {"strategy": "Failover"}%s}"""
        .formatted(status == null ? "" : ", \"status\": " + status);
  }

  static String policyStatus(long observedGeneration, String accepted) {
    return """
        {"observedGeneration": %d, "endpoints": 2, "conditions": [%s]}"""
        .formatted(observedGeneration, accepted);
  }

  @Test
  void aRoutingPolicyIsHealthyOnceAcceptedForItsGenerationAndDegradedWhenInvalid() {
    assertThat(POLICY.of(policy(policyStatus(3, condition("Accepted", "True", "Valid")))))
        .isEqualTo(new Result("Healthy", "Accepted is Valid."));
    assertThat(POLICY.of(policy(policyStatus(3, condition("Accepted", "False", "Invalid")))))
        .isEqualTo(new Result("Degraded", "Accepted is Invalid."));
    assertThat(POLICY.of(policy(null)).status()).isEqualTo("Progressing");
    assertThat(POLICY.of(policy(policyStatus(2, condition("Accepted", "True", "Valid", 2)))))
        .isEqualTo(new Result("Progressing", "Waiting for the operator to validate generation 3."));
  }

  @Test
  void theHarnessOpensOnlyTheBaseLibraryAsArgoCdDoes() {
    assertThat(
            ArgoCdHealth.script(
                    "base.lua", "return {status = tostring(type(obj)) == 'table' and 'Healthy'}")
                .of(endpoint(null))
                .status())
        .isEqualTo("Healthy");
    assertThatThrownBy(
            () ->
                ArgoCdHealth.script("strings.lua", "return {status = string.upper('healthy')}")
                    .of(endpoint(null)))
        .isInstanceOf(LuaError.class);
  }

  @Test
  void theArgoCdConfigMapSnippetCarriesTheScriptsAndDocsGitopsShowsIt() throws IOException {
    var snippet = ArgoCdHealth.scripts().resolve("argocd-cm.yaml");
    JsonNode configMap = new YAMLMapper().readTree(snippet.toFile());
    assertThat(
            configMap
                .at("/data/resource.customizations.health.crosswind.io_ModelEndpoint")
                .asText())
        .isEqualTo(ENDPOINT.source());
    assertThat(
            configMap
                .at("/data/resource.customizations.health.crosswind.io_RoutingPolicy")
                .asText())
        .isEqualTo(POLICY.source());
    assertThat(Files.readString(Resources.root().resolve("docs/gitops.md")))
        .contains(Files.readString(snippet));
  }
}
