package org.fedcredit.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The value records reject what the store could not keep, before any SQL runs. */
class RecordsTest {
  private static final Instant T0 = Instant.parse("2026-11-26T09:00:00.123456789Z");

  @Test
  void eventDetailMustBeAJsonObject() {
    for (String bad : new String[] {"", "[1,2]", "{\"a\":", "42"}) {
      assertThatThrownBy(() -> JobEventDraft.of(JobEventKind.PROGRESS, "m").withDetail(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("detail of a progress event");
    }
    assertThat(JobEventDraft.of(JobEventKind.PROGRESS, "m").withDetail("{\"rows\":3}").detailJson())
        .isEqualTo("{\"rows\":3}");
  }

  @Test
  void jobIdsAreShortAndPlain() {
    assertThat(JobSubmission.newJobId(Instant.parse("2026-11-26T23:59:59Z")))
        .matches("job-20261126-[0-9a-f]{6}");
    for (String bad : new String[] {"", "-job", "job 1", "j".repeat(65), "job/1"}) {
      assertThatThrownBy(
              () -> new JobSubmission(bad, "n", "vertical-lr", "bank-a", "", List.of("bank-a")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not valid");
    }
  }

  @Test
  void aSpecLongerThanTheStoreKeepsIsRejected() {
    String spec = "x".repeat(JobSubmission.MAX_SPEC_CHARS + 1);

    assertThatThrownBy(
            () -> new JobSubmission("job-1", "n", "vertical-lr", "bank-a", spec, List.of("bank-a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 1000001 characters; the store keeps at most 1000000");
  }

  @Test
  void aJobCannotListAPartyTwice() {
    assertThatThrownBy(
            () ->
                new JobSubmission(
                    "job-1", "n", "vertical-lr", "bank-a", "", List.of("bank-a", "bank-a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lists a party twice");
  }

  @Test
  void partiesNeedHostPortAndASha256Fingerprint() {
    assertThatThrownBy(
            () -> new PartyRecord("bank-a", "bank.example", "a".repeat(64), T0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not host:port");
    assertThatThrownBy(
            () ->
                new PartyRecord(
                    "bank-a", "bank.example:99999", "a".repeat(64), T0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 1 to 65535");
    assertThat(
            new PartyRecord("bank-a", "[::1]:7443", "a".repeat(64), T0, Optional.empty()).address())
        .isEqualTo("[::1]:7443");
    assertThatThrownBy(
            () -> new PartyRecord("bank-a", "bank.example:7443", "abc", T0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a SHA-256 digest");
  }

  @Test
  void instantsAreKeptToTheMicrosecond() {
    PartyRecord party =
        new PartyRecord("bank-a", "bank.example:7443", "a".repeat(64), T0, Optional.of(T0));

    assertThat(party.registeredAt()).isEqualTo(Instant.parse("2026-11-26T09:00:00.123456Z"));
    assertThat(party.lastHeartbeatAt()).contains(Instant.parse("2026-11-26T09:00:00.123456Z"));
  }

  @Test
  void aModelNeedsShardHashesAndAPositiveVersion() {
    assertThatThrownBy(() -> ModelRecord.of("job-1", 1, T0, "{}", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no shard hashes");
    assertThatThrownBy(() -> ModelRecord.of("job-1", 0, T0, "{}", Map.of("a", "a".repeat(64))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("versions start at 1");
    assertThat(ModelRecord.of("job-1", 3, T0, "{}", Map.of("a", "A".repeat(64))).modelId())
        .isEqualTo("job-1-v3");
  }
}
