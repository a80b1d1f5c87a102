package io.crosswind.operator.cloud.bedrock;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the last notice given per subject, so that a warning event is asked for once per change
 * rather than on every reconcile (the reconciler folds repeats across restarts anyway).
 */
final class ChangeNotices {

  private final Map<String, String> last = new ConcurrentHashMap<>();

  /** True when {@code notice} differs from the last one for the subject; null clears it. */
  boolean changed(String subject, String notice) {
    String before = notice == null ? last.remove(subject) : last.put(subject, notice);
    return notice != null && !Objects.equals(before, notice);
  }
}
