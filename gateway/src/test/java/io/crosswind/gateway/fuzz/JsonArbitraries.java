package io.crosswind.gateway.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * JSON drawn from a vocabulary of keys and words, so that generated values look enough like the
 * real thing to reach deep into a parser: nulls, booleans, numbers, words, short strings, arrays
 * and objects, nested to a given depth.
 */
public final class JsonArbitraries {

  private final List<String> keys;
  private final List<String> words;

  public JsonArbitraries(List<String> keys, List<String> words) {
    this.keys = keys;
    this.words = words;
  }

  public Arbitrary<Object> value(int depth) {
    Arbitrary<Object> leaf =
        Arbitraries.oneOf(
            Arbitraries.just(null),
            Arbitraries.of(true, false).map(b -> (Object) b),
            Arbitraries.integers().between(-3, 100_000).map(i -> (Object) i),
            Arbitraries.doubles().between(-2, 2).map(d -> (Object) d),
            Arbitraries.of(words).map(w -> (Object) w),
            Arbitraries.strings().ofMaxLength(8).map(w -> (Object) w));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Object> array =
        value(depth - 1).list().ofMaxSize(3).map(l -> (Object) new JsonArray(l));
    Arbitrary<Object> object = object(depth - 1).map(o -> (Object) o);
    return Arbitraries.frequencyOf(Tuple.of(3, leaf), Tuple.of(2, array), Tuple.of(3, object));
  }

  /**
   * A valid document with one to three of its members (at any depth) replaced by generated values
   * or removed: close enough to the real thing that every branch of a parser meets a wrong type.
   */
  public Arbitrary<JsonObject> mutationsOf(JsonObject template) {
    List<List<Object>> paths = new ArrayList<>();
    collect(template, new ArrayList<>(), paths);
    Arbitrary<Object> replacement =
        Arbitraries.oneOf(value(2), Arbitraries.just(REMOVE)).map(v -> v);
    Arbitrary<Tuple.Tuple2<Integer, Object>> change =
        Combinators.combine(Arbitraries.integers().between(0, paths.size() - 1), replacement)
            .as(Tuple::of);
    return change
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(
            changes -> {
              JsonObject copy = template.copy();
              for (Tuple.Tuple2<Integer, Object> c : changes) {
                set(copy, paths.get(c.get1()), c.get2());
              }
              return copy;
            });
  }

  private static final Object REMOVE = new Object();

  private static void collect(Object node, List<Object> path, List<List<Object>> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        List<Object> p = new ArrayList<>(path);
        p.add(key);
        out.add(p);
        collect(o.getValue(key), p, out);
      }
    } else if (node instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        List<Object> p = new ArrayList<>(path);
        p.add(i);
        out.add(p);
        collect(a.getValue(i), p, out);
      }
    }
  }

  /** Replaces (or removes) the member at the path, if an earlier change left it in place. */
  private static void set(JsonObject root, List<Object> path, Object value) {
    Object node = root;
    for (int i = 0; i < path.size() - 1; i++) {
      Object step = path.get(i);
      if (node instanceof JsonObject o && step instanceof String k) {
        node = o.getValue(k);
      } else if (node instanceof JsonArray a && step instanceof Integer n && n < a.size()) {
        node = a.getValue(n);
      } else {
        return;
      }
    }
    Object last = path.get(path.size() - 1);
    if (node instanceof JsonObject o && last instanceof String k && o.containsKey(k)) {
      if (value == REMOVE) {
        o.remove(k);
      } else {
        o.put(k, value);
      }
    } else if (node instanceof JsonArray a && last instanceof Integer n && n < a.size()) {
      if (value == REMOVE) {
        a.remove((int) n);
      } else {
        a.set(n, value);
      }
    }
  }

  public Arbitrary<JsonObject> object(int depth) {
    return Arbitraries.maps(Arbitraries.of(keys), value(depth))
        .ofMaxSize(5)
        .map(m -> new JsonObject(new LinkedHashMap<>(m)));
  }
}
