package org.fedcredit.modelzoo.federation;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

/**
 * The text a protobuf message on the wire could carry: every length-delimited field, at any depth,
 * whose bytes are valid UTF-8. Privacy tests look for decimal renderings of a party's values here
 * rather than in the raw bytes, where a rendering as short as "5.0" turns up by chance in a
 * megabyte of random ciphertext (Paillier ciphertexts are never valid UTF-8 at their length). The
 * raw bytes stay covered by the tests' binary IEEE-754 scans.
 */
public final class WireText {
  private static final int MAX_DEPTH = 8;

  private WireText() {}

  public static String of(byte[] message) {
    StringBuilder out = new StringBuilder();
    collect(ByteString.copyFrom(message), out, 0);
    return out.toString();
  }

  private static void collect(ByteString message, StringBuilder out, int depth) {
    UnknownFieldSet fields;
    try {
      fields = UnknownFieldSet.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      return; // not a message: the caller already took it as text if it was UTF-8
    }
    for (UnknownFieldSet.Field field : fields.asMap().values()) {
      for (ByteString b : field.getLengthDelimitedList()) {
        if (b.isValidUtf8()) {
          out.append(b.toStringUtf8()).append('\n');
        }
        if (depth < MAX_DEPTH) {
          collect(b, out, depth + 1);
        }
      }
    }
  }
}
