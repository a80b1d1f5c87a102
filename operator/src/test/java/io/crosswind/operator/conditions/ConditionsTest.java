package io.crosswind.operator.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.api.v1alpha1.Condition;
import io.crosswind.operator.conditions.Conditions.Desired;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123Z");
  static final Instant T1 = Instant.parse("2026-11-22T11:00:00Z");

  @Test
  void aNewConditionTransitionsNowAtSecondPrecision() {
    List<Condition> merged =
        Conditions.merge(List.of(), List.of(Desired.isFalse("Ready", "Why", "Because.")), 3, T0);

    assertThat(merged)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Why");
              assertThat(c.getMessage()).isEqualTo("Because.");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
            });
  }

  @Test
  void transitionTimeStaysWhenOnlyReasonOrMessageChange() {
    List<Condition> first =
        Conditions.merge(List.of(), List.of(Desired.isFalse("Ready", "A", "First.")), 1, T0);

    List<Condition> second =
        Conditions.merge(first, List.of(Desired.isFalse("Ready", "B", "Second.")), 2, T1);

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
    assertThat(second.get(0).getReason()).isEqualTo("B");
    assertThat(second.get(0).getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void transitionTimeMovesWhenStatusChanges() {
    List<Condition> first =
        Conditions.merge(List.of(), List.of(Desired.isFalse("Ready", "A", "First.")), 1, T0);

    List<Condition> second =
        Conditions.merge(first, List.of(Desired.isTrue("Ready", "Serving", "Serving.")), 1, T1);

    assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T11:00:00Z");
  }

  @Test
  void conditionsNotDesiredAnyMoreAreDropped() {
    List<Condition> first =
        Conditions.merge(
            List.of(),
            List.of(Desired.isFalse("Ready", "A", "a."), Desired.isTrue("Old", "B", "b.")),
            1,
            T0);

    assertThat(Conditions.merge(first, List.of(Desired.isFalse("Ready", "A", "a.")), 1, T1))
        .extracting(Condition::getType)
        .containsExactly("Ready");
  }
}
