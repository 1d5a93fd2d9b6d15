package org.fedcredit.modelzoo.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed access to one JSON object of a shard (as Jackson or the publish step gives it), every error
 * naming the shard's source and the key path, e.g. {@code bank.json: trees[2].nodes[0].left:
 * expected a whole number, got 'x' (String)}.
 */
final class ShardFields {

  private final String source;
  private final String path;
  private final Map<?, ?> map;

  ShardFields(String source, String path, Map<?, ?> map) {
    this.source = source;
    this.path = path;
    this.map = map;
  }

  static ShardFields root(String source, Map<?, ?> map) {
    if (map == null) {
      throw new ShardFormatException(source + ": the shard is empty");
    }
    return new ShardFields(source, "", map);
  }

  String where(String key) {
    return source + ": " + (path.isEmpty() ? key : path + "." + key);
  }

  ShardFormatException error(String key, String message) {
    return new ShardFormatException(where(key) + ": " + message);
  }

  boolean has(String key) {
    return map.get(key) != null;
  }

  Object raw(String key) {
    Object v = map.get(key);
    if (v == null) {
      throw new ShardFormatException(where(key) + ": missing");
    }
    return v;
  }

  String string(String key) {
    Object v = raw(key);
    if (!(v instanceof String s)) {
      throw wrong(key, v, "a string");
    }
    return s;
  }

  double number(String key) {
    return toDouble(key, raw(key));
  }

  int integer(String key) {
    return toInt(key, raw(key));
  }

  long whole(String key) {
    Object v = raw(key);
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short)) {
      throw wrong(key, v, "a whole number");
    }
    return ((Number) v).longValue();
  }

  boolean bool(String key) {
    Object v = raw(key);
    if (!(v instanceof Boolean b)) {
      throw wrong(key, v, "true or false");
    }
    return b;
  }

  List<?> list(String key) {
    Object v = raw(key);
    if (v instanceof List<?> l) {
      return l;
    }
    if (v instanceof double[] d) {
      List<Double> out = new ArrayList<>(d.length);
      for (double x : d) {
        out.add(x);
      }
      return out;
    }
    if (v instanceof long[] d) {
      List<Long> out = new ArrayList<>(d.length);
      for (long x : d) {
        out.add(x);
      }
      return out;
    }
    if (v instanceof int[] d) {
      List<Integer> out = new ArrayList<>(d.length);
      for (int x : d) {
        out.add(x);
      }
      return out;
    }
    throw wrong(key, v, "a list");
  }

  List<String> strings(String key) {
    List<?> l = list(key);
    List<String> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof String s)) {
        throw wrong(key + "[" + i + "]", l.get(i), "a string");
      }
      out.add(s);
    }
    return out;
  }

  double[] numbers(String key) {
    List<?> l = list(key);
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = toDouble(key + "[" + i + "]", l.get(i));
    }
    return out;
  }

  long[] wholes(String key) {
    List<?> l = list(key);
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = l.get(i);
      if (!(v instanceof Integer || v instanceof Long || v instanceof Short)) {
        throw wrong(key + "[" + i + "]", v, "a whole number");
      }
      out[i] = ((Number) v).longValue();
    }
    return out;
  }

  ShardFields object(String key) {
    Object v = raw(key);
    if (!(v instanceof Map<?, ?> m)) {
      throw wrong(key, v, "an object");
    }
    return new ShardFields(source, path.isEmpty() ? key : path + "." + key, m);
  }

  List<ShardFields> objects(String key) {
    List<?> l = list(key);
    List<ShardFields> out = new ArrayList<>(l.size());
    for (int i = 0; i < l.size(); i++) {
      if (!(l.get(i) instanceof Map<?, ?> m)) {
        throw wrong(key + "[" + i + "]", l.get(i), "an object");
      }
      out.add(new ShardFields(source, (path.isEmpty() ? "" : path + ".") + key + "[" + i + "]", m));
    }
    return out;
  }

  private double toDouble(String key, Object v) {
    if (!(v instanceof Number n)) {
      throw wrong(key, v, "a number");
    }
    return n.doubleValue();
  }

  private int toInt(String key, Object v) {
    if (!(v instanceof Integer || v instanceof Short || v instanceof Long)) {
      throw wrong(key, v, "a whole number");
    }
    long x = ((Number) v).longValue();
    if (x != (int) x) {
      throw error(key, x + " is out of range");
    }
    return (int) x;
  }

  private ShardFormatException wrong(String key, Object v, String expected) {
    String got =
        v == null
            ? "nothing"
            : (v instanceof String ? "'" + v + "'" : String.valueOf(v))
                + " ("
                + v.getClass().getSimpleName()
                + ")";
    return error(key, "expected " + expected + ", got " + got);
  }

  String source() {
    return source;
  }
}
