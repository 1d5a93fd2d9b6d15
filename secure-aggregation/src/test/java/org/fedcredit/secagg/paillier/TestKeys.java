package org.fedcredit.secagg.paillier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The committed test keys (src/test/resources/paillier), parsed once. */
public final class TestKeys {
  public static final PaillierPrivateKey A = load("test-key-2048-a.json");
  public static final PaillierPrivateKey B = load("test-key-2048-b.json");
  public static final PaillierPrivateKey K3072 = load("test-key-3072.json");

  private TestKeys() {}

  public static String json(String name) {
    try (InputStream in = TestKeys.class.getResourceAsStream("/paillier/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /paillier/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PaillierPrivateKey load(String name) {
    return PaillierKeyCodec.privateKeyFromJson(json(name), KeySizePolicy.DEFAULT);
  }
}
