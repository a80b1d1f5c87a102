package io.crosswind.operator.conditions;

import io.crosswind.api.v1alpha1.Condition;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds status conditions by the Kubernetes API conventions: {@code lastTransitionTime} moves only
 * when {@code status} changes, every condition carries the generation it describes.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  /** A condition to set: type, status, reason (CamelCase) and a one-sentence message. */
  public record Desired(String type, boolean status, String reason, String message) {
    public Desired {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    public static Desired isTrue(String type, String reason, String message) {
      return new Desired(type, true, reason, message);
    }

    public static Desired isFalse(String type, String reason, String message) {
      return new Desired(type, false, reason, message);
    }
  }

  /**
   * The conditions to write: {@code desired} in its order, keeping each existing condition's
   * transition time when its status did not change.
   */
  public static List<Condition> merge(
      List<Condition> existing, List<Desired> desired, long generation, Instant now) {
    List<Condition> result = new ArrayList<>(desired.size());
    for (Desired d : desired) {
      String status = d.status() ? TRUE : FALSE;
      String transition =
          find(existing, d.type())
              .filter(old -> status.equals(old.getStatus()) && old.getLastTransitionTime() != null)
              .map(Condition::getLastTransitionTime)
              .orElseGet(() -> timestamp(now));
      Condition condition = new Condition();
      condition.setType(d.type());
      condition.setStatus(status);
      condition.setReason(d.reason());
      condition.setMessage(d.message());
      condition.setObservedGeneration(generation);
      condition.setLastTransitionTime(transition);
      result.add(condition);
    }
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** RFC 3339 at second precision, as the API server stores metav1.Time. */
  public static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
