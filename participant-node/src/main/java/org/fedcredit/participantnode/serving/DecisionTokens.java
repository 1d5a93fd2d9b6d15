package org.fedcredit.participantnode.serving;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The unguessable address of a stored decision: {@value #RANDOM_BYTES} bytes ({@value
 * #RANDOM_BYTES} × 8 = 128 bits) from {@link SecureRandom}, URL-safe base64 without padding, so
 * always {@value #LENGTH} characters of {@code [A-Za-z0-9_-]}. Whoever holds the token can read the
 * borrower page, so it is the page's only access control: it must never be derived from the
 * enterprise id, a counter or the time.
 */
public final class DecisionTokens {
  /** Random bytes per token. */
  public static final int RANDOM_BYTES = 16;

  /** Characters per token (URL-safe base64 of {@value #RANDOM_BYTES} bytes, no padding). */
  public static final int LENGTH = 22;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{" + LENGTH + "}");

  private DecisionTokens() {}

  /** A fresh token; thread-safe. */
  public static String newToken() {
    byte[] bytes = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** Whether {@code token} has the shape of a token from {@link #newToken()}. */
  public static boolean isWellFormed(String token) {
    return token != null && WELL_FORMED.matcher(token).matches();
  }
}
