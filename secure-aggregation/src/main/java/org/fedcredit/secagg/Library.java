package org.fedcredit.secagg;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Which crypto library computed something: this module's name and version, for audit entries. */
public final class Library {

  /** The module's name as written to audit entries. */
  public static final String NAME = "fedcredit-secure-aggregation";

  private static final String VERSION = load();

  private Library() {}

  /** The module's Maven version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = Library.class.getResourceAsStream("library.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "org/fedcredit/secagg/library.properties is missing from the secure-aggregation jar");
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "");
      if (v.isEmpty() || v.contains("${")) {
        throw new IllegalStateException(
            "library.properties was not filtered by Maven (version = '" + v + "')");
      }
      return v;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read library.properties", e);
    }
  }
}
