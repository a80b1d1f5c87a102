package io.crosswind.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosswind.testing.Paths;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

class OperatorConfigTest {

  @Test
  void defaultsSuitAHelmInstallWithOneLeader() {
    OperatorConfig config = OperatorConfig.parse();

    assertThat(config.leaderElection).isTrue();
    assertThat(config.leaderElectionLease).isEqualTo("crosswind-operator");
    assertThat(CrosswindOperator.watchedNamespaces(config)).isEmpty();
    assertThat(config.opsPort).isEqualTo(8080);
    assertThat(config.resyncInterval).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.logFormat).isEqualTo(OperatorConfig.LogFormat.plain);
  }

  @Test
  void flagsOverrideDefaults() {
    OperatorConfig config =
        OperatorConfig.parse(
            "--watch-namespaces=payments, search",
            "--no-leader-election",
            "--resync-interval=90s",
            "--log-format=json",
            "--cluster-id=prod-eu");

    assertThat(CrosswindOperator.watchedNamespaces(config))
        .containsExactlyInAnyOrder("payments", "search");
    assertThat(config.leaderElection).isFalse();
    assertThat(config.resyncInterval).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.logFormat).isEqualTo(OperatorConfig.LogFormat.json);
    assertThat(config.clusterId).isEqualTo("prod-eu");
  }

  @Test
  void aBadValueIsRefusedWithASentenceThatNamesIt() {
    assertThatThrownBy(() -> OperatorConfig.parse("--resync-interval=often"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("'often' is not a duration such as 30s, 10m or 1h");
    assertThatThrownBy(() -> OperatorConfig.parse("--log-format=xml"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("xml");
  }

  @Test
  void aShardSelectorIsCheckedAsTheApiServerWouldAtStart() {
    assertThat(OperatorConfig.parse().selector).isEmpty();
    for (String good :
        java.util.List.of(
            "crosswind.io/shard=b",
            "crosswind.io/shard==b",
            "crosswind.io/shard!=b",
            "crosswind.io/shard notin (b,c)",
            "crosswind.io/shard in (a), team=payments",
            "!crosswind.io/shard",
            "team=",
            "tier")) {
      assertThat(OperatorConfig.parse("--selector=" + good).selector).isEqualTo(good);
    }
    for (String bad :
        java.util.List.of("shard in b", "=b", "crosswind.io/shard=b,", "a b", "-x=y")) {
      assertThatThrownBy(() -> OperatorConfig.parse("--selector=" + bad))
          .as(bad)
          .isInstanceOf(CommandLine.ParameterException.class)
          .hasMessageContaining("is not a label selector such as crosswind.io/shard=b");
    }
  }

  @Test
  void everyFlagAndEnvironmentVariableIsDocumented() throws IOException {
    String doc = Files.readString(Paths.repositoryRoot().resolve("docs/configuration.md"));
    Pattern env = Pattern.compile("\\$\\{env:([A-Z_]+)");
    for (Field field : OperatorConfig.class.getDeclaredFields()) {
      Option option = field.getAnnotation(Option.class);
      if (option == null) {
        continue;
      }
      Arrays.stream(option.names()).forEach(name -> assertThat(doc).contains("`" + name));
      Matcher m = env.matcher(option.defaultValue());
      while (m.find()) {
        assertThat(doc).as("docs/configuration.md names " + m.group(1)).contains(m.group(1));
      }
    }
  }
}
