package io.crosswind.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;

/**
 * Runs the Argo CD health scripts of {@code gitops/argocd/} the way Argo CD runs a health script: a
 * fresh interpreter with only Lua's base library open (Argo CD's default without {@code
 * useOpenLibs}), the resource as the global {@code obj} (objects and arrays as tables, numbers as
 * Lua numbers, JSON null as absent), and the table the script returns read for {@code status} and
 * {@code message}.
 */
final class ArgoCdHealth {

  /** The statuses Argo CD accepts from a health script. */
  static final Set<String> STATUSES =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  private static final ObjectMapper JSON = new ObjectMapper();

  record Result(String status, String message) {}

  private final String script;
  private final String name;

  private ArgoCdHealth(String name, String script) {
    this.name = name;
    this.script = script;
  }

  static ArgoCdHealth modelEndpoint() {
    return load("modelendpoint-health.lua");
  }

  static ArgoCdHealth routingPolicy() {
    return load("routingpolicy-health.lua");
  }

  static Path scripts() {
    return Resources.root().resolve("gitops/argocd");
  }

  /** A script given as text, under a name for its error messages. */
  static ArgoCdHealth script(String name, String source) {
    return new ArgoCdHealth(name, source);
  }

  private static ArgoCdHealth load(String file) {
    try {
      return script(file, Files.readString(scripts().resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String source() {
    return script;
  }

  /** The health of a resource given as JSON, as the API server returns it. */
  Result of(String json) {
    try {
      return of(JSON.readTree(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Result of(JsonNode resource) {
    Globals globals = new Globals();
    globals.load(new BaseLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", lua(resource));
    LuaValue returned = globals.load(script, name).call();
    if (!returned.istable()) {
      throw new IllegalStateException(name + " returned " + returned.typename() + ", not a table");
    }
    String status = returned.get("status").optjstring(null);
    String message = returned.get("message").optjstring(null);
    if (!STATUSES.contains(status)) {
      throw new IllegalStateException(name + " returned status " + status);
    }
    return new Result(status, message);
  }

  private static LuaValue lua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), lua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, lua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return LuaValue.valueOf(node.asText());
  }
}
