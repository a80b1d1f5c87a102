package io.crosswind.gateway.upstream;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Reading upstream JSON that may be anything. */
final class Json {

  private Json() {}

  /** The JSON object in the buffer; null when it is empty, not JSON, or not an object. */
  static JsonObject object(Buffer buffer) {
    try {
      Object value = buffer == null || buffer.length() == 0 ? null : buffer.toJson();
      return value instanceof JsonObject o ? o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The member of that name when it is an object; null when absent or anything else. */
  static JsonObject objectAt(JsonObject json, String name) {
    return json.getValue(name) instanceof JsonObject o ? o : null;
  }

  /** A count under one name or the other (chat's and responses' names for usage). */
  static long number(JsonObject json, String name, String alternative) {
    Object value = json.getValue(name);
    if (!(value instanceof Number)) {
      value = json.getValue(alternative);
    }
    return value instanceof Number n ? n.longValue() : 0;
  }
}
