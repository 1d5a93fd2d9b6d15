package org.fedcredit.modelzoo.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.fedcredit.protocols.paillier.v1.EncryptedVector;
import org.fedcredit.protocols.secureboost.v1.SplitCandidates;
import org.junit.jupiter.api.Test;

class WireTextTest {

  /** 4 KiB of random bytes, as ciphertexts look, with the text "5.0" written into them. */
  static ByteString ciphertextsContaining(String text) {
    byte[] blob = new byte[4096];
    new Random(7).nextBytes(blob);
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, blob, 1000, t.length);
    return ByteString.copyFrom(blob);
  }

  @Test
  void aValueInATextFieldAtAnyDepthIsFound() {
    SplitCandidates m =
        SplitCandidates.newBuilder()
            .setNode(3)
            .setPackedLeftSums(
                EncryptedVector.newBuilder()
                    .setKeyId("income=0.125")
                    .setCiphertexts(ciphertextsContaining("zz")))
            .build();
    assertThat(WireText.of(m.toByteArray())).contains("0.125");
  }

  @Test
  void theSameTextInsideRandomCiphertextBytesIsNot() {
    EncryptedVector v =
        EncryptedVector.newBuilder()
            .setKeyId("k1")
            .setCount(16)
            .setCiphertexts(ciphertextsContaining("5.0"))
            .build();
    assertThat(new String(v.toByteArray(), StandardCharsets.ISO_8859_1)).contains("5.0");
    assertThat(WireText.of(v.toByteArray())).doesNotContain("5.0").contains("k1");
  }
}
