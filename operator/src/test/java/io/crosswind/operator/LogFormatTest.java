package io.crosswind.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The operator's own log4j2 configuration, in a JVM of its own, in both formats. */
class LogFormatTest {

  /** Logs one line through slf4j with the operator's configuration and the given format. */
  public static void main(String[] args) {
    System.setProperty(CrosswindOperator.LOG_FORMAT_PROPERTY, args[0]);
    LoggerFactory.getLogger(CrosswindOperator.class).info("reconciled {}", "payments/chat");
  }

  static List<String> run(String format) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp",
                System.getProperty("java.class.path"),
                LogFormatTest.class.getName(),
                format)
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().filter(l -> l.contains("reconciled")).toList();
  }

  @Test
  void jsonFormatWritesOneEcsObjectPerLine() throws Exception {
    List<String> lines = run("json");

    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.path("message").asText()).isEqualTo("reconciled payments/chat");
    assertThat(line.path("log.level").asText()).isEqualTo("INFO");
    assertThat(line.path("log.logger").asText()).isEqualTo(CrosswindOperator.class.getName());
    assertThat(line.has("@timestamp")).isTrue();
  }

  @Test
  void plainFormatWritesAReadableLine() throws Exception {
    List<String> lines = run("plain");

    assertThat(lines)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l).contains("INFO").contains("reconciled payments/chat");
              assertThat(l).doesNotStartWith("{");
            });
  }
}
