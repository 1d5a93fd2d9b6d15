package org.fedcredit.modelzoo.federation;

import java.util.regex.Pattern;

/**
 * A party of a job, e.g. {@code bank}, {@code tax-bureau}, {@code coordinator}. In a deployment it
 * is the subject of the party's certificate.
 *
 * @param name lower-case letters, digits, '-', '_' or '.', 1–64 characters
 */
public record PartyId(String name) implements Comparable<PartyId> {

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public PartyId {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "party id '"
              + name
              + "' is invalid: use 1-64 lower-case letters, digits, '.', '-' or '_',"
              + " starting with a letter or digit");
    }
  }

  public static PartyId of(String name) {
    return new PartyId(name);
  }

  @Override
  public int compareTo(PartyId o) {
    return name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
