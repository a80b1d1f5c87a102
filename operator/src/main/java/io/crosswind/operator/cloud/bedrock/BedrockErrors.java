package io.crosswind.operator.cloud.bedrock;

import io.crosswind.operator.cloud.CloudError;
import io.crosswind.operator.cloud.ManagementPacer;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns what Bedrock and STS answer into the reasons users see, once, here: the service's error
 * code and message with its request id ({@code x-amzn-RequestId}), and how long waiting makes sense
 * before trying again. Messages never carry credentials: AWS error messages name ARNs and actions,
 * not secrets, and a Secret's values never reach an SDK message.
 */
final class BedrockErrors {

  static final Duration THROTTLE = Duration.ofSeconds(20);
  static final Duration TRANSIENT = Duration.ofMinutes(1);
  static final Duration QUOTA = Duration.ofMinutes(5);
  static final Duration CONFIGURATION = Duration.ofMinutes(10);

  private static final Set<String> THROTTLING =
      Set.of("ThrottlingException", "Throttling", "TooManyRequestsException");
  private static final Set<String> ACCESS_DENIED =
      Set.of("AccessDeniedException", "AccessDenied", "UnauthorizedOperation");
  private static final Set<String> CREDENTIALS =
      Set.of(
          "UnrecognizedClientException",
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "InvalidSignatureException",
          "ExpiredToken",
          "ExpiredTokenException",
          "IncompleteSignature",
          "IncompleteSignatureException",
          "MissingAuthenticationToken",
          "MissingAuthenticationTokenException");
  private static final Set<String> INVALID =
      Set.of(
          "ValidationException",
          "ValidationError",
          "TooManyTagsException",
          "MalformedPolicyDocument",
          "PackedPolicyTooLarge");

  private BedrockErrors() {}

  /** The reason for a failure; a missing resource is {@code ResourceNotFound}. */
  static CloudError classify(Throwable error) {
    return classify(error, "ResourceNotFound");
  }

  /**
   * The reason for a failure of a step in which a missing resource has a meaning of its own, such
   * as {@code ModelNotAvailable} for the model lookup.
   */
  static CloudError classify(Throwable error, String notFoundReason) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ManagementPacer.Paced paced) {
        return paced.error();
      }
      if (cause instanceof AwsServiceException aws) {
        return service(aws, notFoundReason);
      }
      if (cause instanceof UnknownHostException) {
        return new CloudError(
            "RegionNotAvailable",
            "No AWS endpoint answers for this region (unknown host "
                + firstLine(cause.getMessage())
                + "); check the target's region.",
            QUOTA);
      }
    }
    String text = firstLine(error.getMessage());
    if (error instanceof SdkClientException && text.startsWith("Unable to load credentials")) {
      return new CloudError(
          "CredentialsInvalid",
          "The operator found no AWS credentials ("
              + text
              + "); give it an identity (IRSA, EKS Pod"
              + " Identity) or give the target a credentials Secret.",
          CONFIGURATION);
    }
    return new CloudError(
        "CloudUnavailable",
        "AWS could not be reached (" + error.getClass().getSimpleName() + ": " + text + ").",
        TRANSIENT);
  }

  /** True when the service said the resource does not exist. */
  static boolean isNotFound(Throwable error) {
    return error instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && "ResourceNotFoundException".equals(aws.awsErrorDetails().errorCode());
  }

  /** A missing resource that the spec names: a sentence to act on, then what the service said. */
  static CloudError missing(Throwable error, String reason, String sentence) {
    return new CloudError(reason, sentence + " " + classify(error).message(), CONFIGURATION);
  }

  /** True when waiting and trying again is the cure, so the provider backs off with jitter. */
  static boolean transientFailure(String reason) {
    return CloudError.TRANSIENT.contains(reason);
  }

  private static CloudError service(AwsServiceException e, String notFoundReason) {
    int status = e.statusCode();
    String code =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
            ? "Unknown"
            : e.awsErrorDetails().errorCode();
    String message =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? firstLine(e.getMessage())
            : e.awsErrorDetails().errorMessage();
    String service =
        e.awsErrorDetails() == null || e.awsErrorDetails().serviceName() == null
            ? "AWS"
            : e.awsErrorDetails().serviceName();
    String text =
        service
            + " answered "
            + status
            + " "
            + code
            + ": "
            + stripPeriod(message)
            + (e.requestId() == null ? "" : " (request id " + e.requestId() + ")")
            + ".";
    if (e.isThrottlingException() || status == 429 || THROTTLING.contains(code)) {
      return new CloudError("Throttled", text, THROTTLE);
    }
    if (code.equals("ServiceQuotaExceededException")) {
      return new CloudError("QuotaExceeded", text, QUOTA);
    }
    if (ACCESS_DENIED.contains(code)) {
      return new CloudError("AccessDenied", text, CONFIGURATION);
    }
    if (CREDENTIALS.contains(code)) {
      return new CloudError("CredentialsInvalid", text, CONFIGURATION);
    }
    if (code.equals("ResourceNotFoundException")) {
      return new CloudError(notFoundReason, text, CONFIGURATION);
    }
    if (code.equals("UnknownOperationException") || code.equals("RegionDisabledException")) {
      return new CloudError("RegionNotAvailable", text, CONFIGURATION);
    }
    if (INVALID.contains(code)) {
      return new CloudError("InvalidRequest", text, CONFIGURATION);
    }
    if (code.equals("ConflictException")) {
      return new CloudError("Conflict", text, TRANSIENT);
    }
    return status >= 500
        ? new CloudError("CloudUnavailable", text, TRANSIENT)
        : new CloudError("CloudError", text, CONFIGURATION);
  }

  private static String stripPeriod(String text) {
    String s = firstLine(text);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return (newline < 0 ? text : text.substring(0, newline)).strip();
  }
}
