package org.fedcredit.participantnode.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTokensTest {
  @Test
  void tokensAre128RandomBitsInUrlSafeBase64WithoutPadding() {
    Set<String> seen = new HashSet<>();
    int[] bitOnes = new int[128];
    int n = 2000;
    for (int i = 0; i < n; i++) {
      String token = DecisionTokens.newToken();
      assertThat(token).hasSize(22).matches("[A-Za-z0-9_-]+");
      assertThat(DecisionTokens.isWellFormed(token)).isTrue();
      byte[] bytes = Base64.getUrlDecoder().decode(token);
      assertThat(bytes).hasSize(16);
      for (int bit = 0; bit < 128; bit++) {
        bitOnes[bit] += (bytes[bit / 8] >> (bit % 8)) & 1;
      }
      seen.add(token);
    }
    assertThat(seen).hasSize(n);
    // Every one of the 128 bits varies like a fair coin (mean 1000, sd ~22; 6 sd bounds).
    for (int bit = 0; bit < 128; bit++) {
      assertThat(bitOnes[bit]).as("bit %d", bit).isBetween(866, 1134);
    }
  }

  @Test
  void onlyTheTokenShapeIsWellFormed() {
    assertThat(DecisionTokens.isWellFormed(null)).isFalse();
    assertThat(DecisionTokens.isWellFormed("")).isFalse();
    assertThat(DecisionTokens.isWellFormed("abc")).isFalse();
    assertThat(DecisionTokens.isWellFormed("A".repeat(21))).isFalse();
    assertThat(DecisionTokens.isWellFormed("A".repeat(23))).isFalse();
    assertThat(DecisionTokens.isWellFormed("A".repeat(21) + "=")).isFalse();
    assertThat(DecisionTokens.isWellFormed("A".repeat(21) + "/")).isFalse();
    assertThat(DecisionTokens.isWellFormed("A".repeat(21) + "+")).isFalse();
    assertThat(DecisionTokens.isWellFormed("aZ09_-".repeat(3) + "abcd")).isTrue();
  }
}
