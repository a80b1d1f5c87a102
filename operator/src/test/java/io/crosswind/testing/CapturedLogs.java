package io.crosswind.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps every log line (message and stack trace) written while a test class runs, from Crosswind
 * and from the libraries, so a test can show that no secret ever reaches a log.
 */
public final class CapturedLogs implements BeforeAllCallback, AfterAllCallback {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private AbstractAppender appender;

  @Override
  public void beforeAll(ExtensionContext context) {
    LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    appender =
        new AbstractAppender(
            "captured-" + context.getDisplayName(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            StringBuilder line =
                new StringBuilder(event.getLoggerName())
                    .append(' ')
                    .append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
              StringWriter trace = new StringWriter();
              event.getThrown().printStackTrace(new PrintWriter(trace));
              line.append('\n').append(trace);
            }
            lines.add(line.toString());
          }
        };
    appender.start();
    logging.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    logging.getConfiguration().getLoggers().values().stream()
        .filter(l -> !l.isAdditive())
        .forEach(l -> l.addAppender(appender, Level.ALL, null));
    logging.updateLoggers();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LoggerContext logging = (LoggerContext) LogManager.getContext(false);
    logging.getConfiguration().getRootLogger().removeAppender(appender.getName());
    logging
        .getConfiguration()
        .getLoggers()
        .values()
        .forEach(l -> l.removeAppender(appender.getName()));
    logging.updateLoggers();
    appender.stop();
  }

  /** Everything logged so far, one entry per event. */
  public String text() {
    return String.join("\n", lines);
  }

  public int size() {
    return lines.size();
  }
}
