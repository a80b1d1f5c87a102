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
}
