package io.crosswind.operator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({"30s,PT30S", "5m,PT5M", "1h30m,PT1H30M", "1.5s,PT1.5S", "250ms,PT0.25S", "2h,PT2H"})
  void readsTheDurationsKubernetesWrites(String text, String iso) {
    assertThat(GoDuration.parse(text)).contains(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "5 m", "1d", "-5s", "s", "1.s"})
  void rejectsWhatIsNotADuration(String text) {
    assertThat(GoDuration.parse(text)).isEmpty();
  }
}
