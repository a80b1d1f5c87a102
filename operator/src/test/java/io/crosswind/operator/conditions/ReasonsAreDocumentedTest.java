package io.crosswind.operator.conditions;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosswind.testing.Paths;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ReasonsAreDocumentedTest {

  @Test
  void everyReasonAndConditionTypeHasARowInTheStatusPage()
      throws IOException, IllegalAccessException {
    String doc = Files.readString(Paths.repositoryRoot().resolve("docs/status.md"));
    for (Class<?> type : new Class<?>[] {Reasons.class, ConditionTypes.class}) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
          String value = (String) field.get(null);
          assertThat(value).matches("[A-Z][A-Za-z]+");
          assertThat(doc).as("docs/status.md has a row for " + value).contains("| `" + value + "`");
        }
      }
    }
  }

  /** The reasons the cloud providers write, read from their sources as they are spelled there. */
  static final java.util.regex.Pattern PROVIDER_REASON =
      java.util.regex.Pattern.compile(
          "(?:new CloudError\\(\\s*|new CloudEvent\\(\\s*(?:true|false),\\s*"
              + "|provisioning\\(\\s*[^,()]+,\\s*|deleting\\(\\s*"
              + "|TargetState\\.\\w+,\\s*)\"([A-Za-z]+)\"");

  @Test
  void everyReasonAProviderWritesHasARowInTheStatusPage() throws IOException {
    String doc = Files.readString(Paths.repositoryRoot().resolve("docs/status.md"));
    java.nio.file.Path sources =
        Paths.repositoryRoot().resolve("operator/src/main/java/io/crosswind/operator");
    java.util.Set<String> reasons = new java.util.TreeSet<>();
    try (var files = Files.walk(sources)) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        java.util.regex.Matcher m = PROVIDER_REASON.matcher(Files.readString(file));
        while (m.find()) {
          reasons.add(m.group(1));
        }
      }
    }
    assertThat(reasons).contains("QuotaExceeded", "NotOwned", "DeploymentCreating");
    for (String reason : reasons) {
      assertThat(doc).as("docs/status.md names " + reason).contains("`" + reason + "`");
    }
  }
}
