package io.crosswind.simulators.bedrock;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A small evaluator of the inline session policy given to AssumeRole, after the IAM policy
 * evaluation logic: an explicit Deny wins, else an Allow is needed. A session without a session
 * policy may do what its role may (everything, in the simulator).
 *
 * <p>Limits, on purpose: only {@code Effect}, {@code Action} and {@code Resource} are read, with
 * {@code *} and {@code ?} wildcards (actions case-insensitive, resources case-sensitive). A
 * statement with {@code NotAction}, {@code NotResource}, {@code Principal} or {@code Condition}
 * never matches, so an Allow with a condition allows nothing here (stricter than AWS) and a Deny
 * with a condition denies nothing (looser than AWS). Policy variables are not expanded.
 */
public final class SessionPolicy {

  private record Statement(boolean allow, List<Pattern> actions, List<Pattern> resources) {}

  private final List<Statement> statements;

  private SessionPolicy(List<Statement> statements) {
    this.statements = statements;
  }

  /**
   * Parses a policy document.
   *
   * @throws IllegalArgumentException if it is not a JSON policy document
   */
  public static SessionPolicy parse(String json) {
    JsonObject document;
    try {
      document = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("The policy is not in the valid JSON format.", e);
    }
    Object raw = document.getValue("Statement");
    List<JsonObject> list = new ArrayList<>();
    if (raw instanceof JsonObject one) {
      list.add(one);
    } else if (raw instanceof JsonArray many) {
      many.forEach(s -> list.add((JsonObject) s));
    } else {
      throw new IllegalArgumentException("Syntax errors in policy.");
    }
    List<Statement> statements = new ArrayList<>();
    for (JsonObject s : list) {
      String effect = s.getString("Effect");
      if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
        throw new IllegalArgumentException("Syntax errors in policy.");
      }
      boolean unsupported =
          s.containsKey("NotAction")
              || s.containsKey("NotResource")
              || s.containsKey("Principal")
              || s.containsKey("Condition");
      List<Pattern> actions = unsupported ? List.of() : patterns(s.getValue("Action"), true);
      List<Pattern> resources = unsupported ? List.of() : patterns(s.getValue("Resource"), false);
      statements.add(new Statement("Allow".equals(effect), actions, resources));
    }
    return new SessionPolicy(List.copyOf(statements));
  }

  /** Whether the policy allows the action (for example bedrock:InvokeModel) on the resource ARN. */
  public boolean allows(String action, String resource) {
    boolean allowed = false;
    for (Statement s : statements) {
      boolean matches =
          s.actions().stream().anyMatch(p -> p.matcher(action).matches())
              && s.resources().stream().anyMatch(p -> p.matcher(resource).matches());
      if (matches && !s.allow()) {
        return false;
      }
      allowed |= matches;
    }
    return allowed;
  }

  private static List<Pattern> patterns(Object value, boolean caseInsensitive) {
    List<String> globs = new ArrayList<>();
    if (value instanceof String one) {
      globs.add(one);
    } else if (value instanceof JsonArray many) {
      many.forEach(v -> globs.add(String.valueOf(v)));
    }
    return globs.stream().map(g -> glob(g, caseInsensitive)).toList();
  }

  private static Pattern glob(String glob, boolean caseInsensitive) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("((?<=[*?])|(?=[*?]))")) {
      regex.append(
          switch (part) {
            case "*" -> ".*";
            case "?" -> ".";
            default -> Pattern.quote(part);
          });
    }
    return Pattern.compile(regex.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
  }
}
