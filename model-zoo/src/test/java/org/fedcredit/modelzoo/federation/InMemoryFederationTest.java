package org.fedcredit.modelzoo.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.StringValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InMemoryFederationTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");

  @Test
  void deliversInOrderPerTagAndCountsBytes() throws Exception {
    InMemoryFederation fed = new InMemoryFederation(Set.of(BANK, TAX));
    List<String> seen = new ArrayList<>();
    fed.observe(
        (from, to, tag, payload) -> seen.add(from + ">" + to + ":" + tag + ":" + payload.length));
    Federation bank = fed.endpoint(BANK);
    Federation tax = fed.endpoint(TAX);
    CompletableFuture<String> got =
        CompletableFuture.supplyAsync(
            () ->
                tax.receive(BANK, "t/1", StringValue.class).getValue()
                    + tax.receive(BANK, "t/1", StringValue.class).getValue());
    bank.send(TAX, "t/1", StringValue.of("a"));
    bank.send(TAX, "t/1", StringValue.of("b"));
    assertThat(got.get()).isEqualTo("ab");
    assertThat(seen).containsExactly("bank>tax-bureau:t/1:3", "bank>tax-bureau:t/1:3");
    assertThat(fed.bytesByPair()).containsEntry("bank->tax-bureau", 6L);
  }

  @Test
  void timesOutNamingPeerAndTag() {
    InMemoryFederation fed = new InMemoryFederation(Set.of(BANK, TAX), Duration.ofMillis(200));
    assertThatThrownBy(() -> fed.endpoint(BANK).receive(TAX, "lr/3/gradient", StringValue.class))
        .isInstanceOf(FederationException.class)
        .hasMessageContaining("bank timed out")
        .hasMessageContaining("'lr/3/gradient' from tax-bureau");
  }

  @Test
  void failedPeerStopsItsReceiversAtOnce() {
    InMemoryFederation fed = new InMemoryFederation(Set.of(BANK, TAX));
    fed.fail(TAX, new IllegalStateException("disk full"));
    assertThatThrownBy(() -> fed.endpoint(BANK).receive(TAX, "x", StringValue.class))
        .hasMessageContaining("tax-bureau, which failed: disk full");
  }

  @Test
  void rejectsUnknownPartiesAndMalformedPayloads() {
    InMemoryFederation fed = new InMemoryFederation(Set.of(BANK, TAX));
    assertThatThrownBy(
            () -> fed.endpoint(BANK).send(PartyId.of("utility"), "x", StringValue.of("")))
        .hasMessageContaining("'utility' is not a party of this job");
    fed.endpoint(TAX)
        .send(BANK, "x", BytesValue.of(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})));
    assertThatThrownBy(() -> fed.endpoint(BANK).receive(TAX, "x", StringValue.class))
        .hasMessageContaining("is not a valid StringValue");
    assertThatThrownBy(() -> PartyId.of("Bank A")).hasMessageContaining("is invalid");
  }
}
