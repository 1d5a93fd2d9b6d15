package org.fedcredit.participantnode.serving.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionFixtures;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.fedcredit.participantnode.serving.store.DecisionStore;
import org.fedcredit.participantnode.serving.store.InMemoryDecisionStore;
import org.fedcredit.protocols.coordinator.v1.CoordinatorServiceGrpc;
import org.fedcredit.protocols.coordinator.v1.DecisionDigest;
import org.fedcredit.protocols.coordinator.v1.DecisionDigests;
import org.fedcredit.protocols.coordinator.v1.DecisionReceipt;
import org.fedcredit.transport.grpc.GrpcChannels;
import org.fedcredit.transport.grpc.GrpcServers;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.TransportSecurity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank's decisions reach the coordinator's audit log over real gRPC on loopback (a recording
 * coordinator service): hashes of the JSON as stored, in order, resent after a failure or a
 * restart, never skipped.
 */
class DecisionAuditorTest {

  static final Instant NOW = Instant.parse("2026-11-27T05:00:00Z");

  /** The coordinator's RecordDecisions, recording what it received; can be made to fail. */
  static final class Recording extends CoordinatorServiceGrpc.CoordinatorServiceImplBase {
    final List<DecisionDigest> received = new CopyOnWriteArrayList<>();
    volatile boolean down;

    @Override
    public void recordDecisions(DecisionDigests req, StreamObserver<DecisionReceipt> out) {
      if (down) {
        out.onError(Status.UNAVAILABLE.withDescription("down for the test").asRuntimeException());
        return;
      }
      received.addAll(req.getDecisionsList());
      DecisionReceipt.Builder b = DecisionReceipt.newBuilder();
      for (int i = 0; i < req.getDecisionsCount(); i++) {
        b.addIndices(received.size() - req.getDecisionsCount() + i);
      }
      out.onNext(b.build());
      out.onCompleted();
    }
  }

  @TempDir Path dir;
  Recording coordinator;
  GrpcServers.RunningServer server;
  ManagedChannel channel;
  InMemoryDecisionStore store;

  @BeforeEach
  void start() {
    TransportSecurity insecure =
        TransportSecurity.select(PartyId.of("coordinator"), java.util.Optional.empty(), true);
    coordinator = new Recording();
    server =
        GrpcServers.builder(insecure).bindHost("127.0.0.1").port(0).addService(coordinator).start();
    channel =
        GrpcChannels.forPeer(
            TransportSecurity.select(PartyId.of("bank"), java.util.Optional.empty(), true),
            PartyId.of("coordinator"),
            new PeerAddress("127.0.0.1", server.port()));
    store = new InMemoryDecisionStore();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  private DecisionAuditor auditor() {
    DecisionAuditor a =
        new DecisionAuditor(
            store,
            dir.resolve("audit/decisions.cursor"),
            Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofHours(1));
    a.coordinatorForTest(channel);
    return a;
  }

  private String save(Instant at, boolean refused) {
    return save(at, refused, null);
  }

  /** Stores a decision and, as the decision engine does, hands it to {@code live} if not null. */
  private String save(Instant at, boolean refused, DecisionAuditor live) {
    Decision d =
        refused
            ? DecisionFixtures.refused(DecisionTokens.newToken(), at)
            : DecisionFixtures.approved(DecisionTokens.newToken(), at);
    DecisionStore.Stored stored = store.saveAndWrite(d);
    if (live != null) {
      live.stored(d, stored);
    }
    return stored.json();
  }

  private void awaitReceived(int n) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (coordinator.received.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(coordinator.received).hasSize(n);
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void storedDecisionsAreReportedAsHashesOfTheirJsonInOrderAndRecentOnesWait() throws Exception {
    String a = save(NOW.minusSeconds(30), true);
    String b = save(NOW.minusSeconds(20), false);
    save(NOW.minusMillis(500), true); // younger than SETTLE: left for the next pass

    DecisionAuditor auditor = auditor();
    assertThat(auditor.pass(NOW.minusSeconds(2))).isEqualTo(2);
    assertThat(auditor.pass(NOW.minusSeconds(2))).isZero();

    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(a), sha256(b));
    assertThat(coordinator.received.get(0).getModelJob()).isNotEmpty();
    assertThat(coordinator.received.get(0).getDecidedAtMs())
        .isEqualTo(NOW.minusSeconds(30).toEpochMilli());
    // No applicant data crosses: the digest has four fields, none of them the enterprise.
    assertThat(coordinator.received.get(0).toString()).doesNotContain("enterprise");
    assertThat(auditor.recorded()).isEqualTo(2);
  }

  @Test
  void aCoordinatorThatIsDownGetsTheSameBatchAgainLater() throws Exception {
    String a = save(NOW.minusSeconds(30), true);
    DecisionAuditor auditor = auditor();
    coordinator.down = true;
    assertThatThrownBy(() -> auditor.pass(NOW))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("UNAVAILABLE");
    coordinator.down = false;
    assertThat(auditor.pass(NOW)).isEqualTo(1);
    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(a));
  }

  @Test
  void aRestartedNodeResendsFromItsCursorLessTheMarginAndNothingOlder() throws Exception {
    save(NOW.minusSeconds(600), true);
    String recent = save(NOW.minusSeconds(30), false);
    auditor().pass(NOW);
    assertThat(coordinator.received).hasSize(2);
    coordinator.received.clear();

    // A new process with the same work directory: the cursor file says where to start again.
    DecisionAuditor again = auditor();
    String fresh = save(NOW.minusSeconds(5), true);
    assertThat(again.pass(NOW)).isEqualTo(2);
    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(recent), sha256(fresh));
  }

  @Test
  void aDecisionWhoseInsertCommittedAfterTheCursorPassedItIsFoundByTheSweep() throws Exception {
    String early = save(NOW.minusSeconds(40), true);
    String later = save(NOW.minusSeconds(20), false);
    DecisionAuditor auditor = auditor();
    assertThat(auditor.pass(NOW)).isEqualTo(2);
    // Decided 30 s ago, stored only now: the cursor (at the 20 s-old decision) has passed it.
    String stalled = save(NOW.minusSeconds(30), true);
    assertThat(auditor.pass(NOW)).isZero();

    assertThat(auditor.sweep()).isEqualTo(1);
    assertThat(auditor.sweep()).isZero();
    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(early), sha256(later), sha256(stalled));
  }

  @Test
  void closingSendsEvenTheYoungestDecisions() throws Exception {
    String young = save(NOW.minusMillis(10), true);
    DecisionAuditor auditor = auditor();
    auditor.close(Duration.ofSeconds(5));
    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(young));
  }

  @Test
  void liveDecisionsAreReportedFromTheQueueWithoutReadingTheStoreAgain() throws Exception {
    Instant t = Instant.now();
    String before = save(t.minusSeconds(30), true); // stored before the auditor started
    DecisionAuditor auditor =
        new DecisionAuditor(
            store, dir.resolve("audit/decisions.cursor"), Clock.systemUTC(), Duration.ofMillis(20));
    auditor.start(channel);
    try {
      awaitReceived(1); // caught up from the store
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (!auditor.caughtUp() && System.nanoTime() < deadline) {
        Thread.sleep(10); // the catch-up ends with a sweep, one more read of the store
      }
      assertThat(auditor.caughtUp()).isTrue();
      long reads = auditor.storeReads();
      String a = save(Instant.now(), false, auditor);
      String b = save(Instant.now(), true, auditor);
      awaitReceived(3);
      String c = save(Instant.now(), false, auditor);
      awaitReceived(4);
      assertThat(auditor.storeReads()).as("live decisions are not read back").isEqualTo(reads);
      assertThat(coordinator.received)
          .extracting(DecisionDigest::getDecisionSha256)
          .containsExactly(sha256(before), sha256(a), sha256(b), sha256(c));
    } finally {
      auditor.close(Duration.ofSeconds(5));
    }
    // counted once the coordinator's answer is back (after close, every answer is)
    assertThat(auditor.recorded()).isEqualTo(4);
    assertThat(coordinator.received).hasSize(4);
  }

  @Test
  void aDecisionBothReadInTheCatchUpAndQueuedIsReportedOnce() throws Exception {
    DecisionAuditor auditor = auditor();
    // committed while the catch-up read the store: in the store and in the queue
    String both = save(NOW.minusSeconds(5), true, auditor);
    assertThat(auditor.step()).isEqualTo(1); // the catch-up reads it
    assertThat(auditor.step()).isZero(); // the queue's copy is skipped
    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(both));
  }

  @Test
  void aQueueThatOverflowsWhileTheCoordinatorIsDownIsDroppedAndTheStoreReadAgain()
      throws Exception {
    DecisionAuditor auditor =
        new DecisionAuditor(
            store,
            dir.resolve("audit/decisions.cursor"),
            Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofHours(1),
            2);
    auditor.coordinatorForTest(channel);
    assertThat(auditor.step()).isZero(); // nothing stored yet: catch-up done
    coordinator.down = true;
    String a = save(NOW.minusSeconds(10), true, auditor);
    assertThatThrownBy(auditor::step).isInstanceOf(StatusRuntimeException.class);
    // a waits in the failed batch; b and c fill the queue (limit 2); d is one too many
    String b = save(NOW.minusSeconds(9), false, auditor);
    String c = save(NOW.minusSeconds(8), true, auditor);
    String d = save(NOW.minusSeconds(7), false, auditor);
    coordinator.down = false;
    assertThat(auditor.step()).as("read from the store").isEqualTo(4);
    assertThat(auditor.step()).isZero();
    assertThat(coordinator.received)
        .extracting(DecisionDigest::getDecisionSha256)
        .containsExactly(sha256(a), sha256(b), sha256(c), sha256(d));
  }
}
