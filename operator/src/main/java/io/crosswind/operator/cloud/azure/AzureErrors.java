package io.crosswind.operator.cloud.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.management.exception.ManagementException;
import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.ManagementPacer;
import java.time.Duration;

/**
 * Turns what Azure answers into the reasons users see, once, here: the provider's code and message
 * with its request id, and how long waiting makes sense before trying again.
 */
final class AzureErrors {

  static final Duration THROTTLE_DEFAULT = Duration.ofSeconds(30);
  static final Duration TRANSIENT = Duration.ofMinutes(1);
  static final Duration QUOTA = Duration.ofMinutes(5);
  static final Duration CONFIGURATION = Duration.ofMinutes(10);

  private AzureErrors() {}

  static CloudError classify(Throwable error) {
    Throwable cause = error;
    while (cause != null) {
      if (cause instanceof ManagementPacer.Paced paced) {
        return paced.error();
      }
      if (cause instanceof ManagementException m) {
        return management(m);
      }
      if (cause instanceof ClientAuthenticationException
          || cause.getClass().getName().startsWith("com.microsoft.aad.msal4j")) {
        return new CloudError(
            "CredentialsInvalid",
            "Azure refused the credentials: " + firstLine(cause.getMessage()),
            CONFIGURATION);
      }
      cause = cause.getCause();
    }
    return new CloudError(
        "CloudUnavailable",
        "Azure could not be reached ("
            + error.getClass().getSimpleName()
            + ": "
            + firstLine(error.getMessage())
            + ").",
        TRANSIENT);
  }

  private static CloudError management(ManagementException e) {
    int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    String code = e.getValue() == null ? "Unknown" : e.getValue().getCode();
    String message = e.getValue() == null ? firstLine(e.getMessage()) : e.getValue().getMessage();
    String requestId =
        e.getResponse() == null ? null : e.getResponse().getHeaderValue("x-ms-request-id");
    String text =
        "Azure answered "
            + status
            + " "
            + code
            + ": "
            + message
            + (requestId == null ? "" : " (request id " + requestId + ")");
    if (status == 429) {
      return new CloudError("Throttled", text, retryAfter(e));
    }
    return switch (code) {
      case "InsufficientQuota", "QuotaExceeded" -> new CloudError("QuotaExceeded", text, QUOTA);
      case "DeploymentModelNotSupported", "ModelNotSupported" ->
          new CloudError("ModelNotAvailable", text, CONFIGURATION);
      case "InvalidResourceProperties" ->
          message != null && message.contains("SKU")
              ? new CloudError("SkuNotSupported", text, CONFIGURATION)
              : new CloudError("InvalidDeployment", text, CONFIGURATION);
      case "ResourceGroupNotFound" -> new CloudError("ResourceGroupNotFound", text, CONFIGURATION);
      case "SubscriptionNotFound" -> new CloudError("SubscriptionNotFound", text, CONFIGURATION);
      case "AuthorizationFailed", "LinkedAuthorizationFailed" ->
          new CloudError("AccessDenied", text, CONFIGURATION);
      case "InvalidAuthenticationToken", "AuthenticationFailed" ->
          new CloudError("CredentialsInvalid", text, CONFIGURATION);
      case "CustomDomainInUse" -> new CloudError("AccountNameTaken", text, CONFIGURATION);
      case "FlagMustBeSetForRestore" -> new CloudError("AccountSoftDeleted", text, CONFIGURATION);
      default ->
          status >= 500
              ? new CloudError("CloudUnavailable", text, TRANSIENT)
              : new CloudError("CloudError", text, CONFIGURATION);
    };
  }

  private static Duration retryAfter(ManagementException e) {
    String header = e.getResponse().getHeaderValue("Retry-After");
    try {
      return header == null
          ? THROTTLE_DEFAULT
          : Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim())));
    } catch (NumberFormatException notSeconds) {
      return THROTTLE_DEFAULT;
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.strip();
  }
}
