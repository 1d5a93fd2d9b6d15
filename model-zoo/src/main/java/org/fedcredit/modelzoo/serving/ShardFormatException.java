package org.fedcredit.modelzoo.serving;

/**
 * A model shard that cannot be read: unknown format, a missing key, a value of the wrong type or an
 * inconsistent model. The message names the shard (file or party), the key path and what was
 * expected.
 */
public final class ShardFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShardFormatException(String message) {
    super(message);
  }

  public ShardFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
