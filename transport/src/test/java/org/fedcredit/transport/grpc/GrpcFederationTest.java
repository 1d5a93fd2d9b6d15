package org.fedcredit.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.fedcredit.modelzoo.federation.FederationException;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.federation.v1.MessageChunk;
import org.fedcredit.protocols.federation.v1.MessageHeader;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.PeerIdentity;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TransportSecurity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC Federation on loopback with real mutual TLS and certificates of a test CA. */
class GrpcFederationTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");
  static final PartyId UTILITY = PartyId.of("utility");
  static final String JOB = "job-1";

  @TempDir Path dir;
  TestNodes nodes;
  SimpleMeterRegistry meters;
  GrpcFederation.Options options;
  final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() {
    nodes = new TestNodes(dir.resolve("ca"), "bank", "tax-bureau", "utility");
    meters = new SimpleMeterRegistry();
    options =
        GrpcFederation.Options.defaults()
            .withRetries(1, Duration.ofMillis(50), Duration.ofMillis(100))
            .withSendTimeout(Duration.ofSeconds(20))
            .withReceiveTimeout(Duration.ofSeconds(20))
            .withMeterRegistry(meters);
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    nodes.close();
  }

  private ManagedChannel channel(String from, String to) {
    ManagedChannel c =
        GrpcChannels.forPeer(nodes.node(from).security(), PartyId.of(to), nodes.node(to).address());
    channels.add(c);
    return c;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void messagesMakeTheRoundTripIncludingATenMebibytePayloadInChunks() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    List<String> observed = new CopyOnWriteArrayList<>();
    GrpcFederation tax =
        nodes.federation(
            "tax-bureau",
            JOB,
            options.withObserver((f, t, tag, bytes) -> observed.add(f + ">" + t + ":" + tag)));
    GrpcFederation bank = nodes.federation("bank", JOB, options);
    byte[] big = random(10 << 20, 1);

    tax.send(BANK, "t/hello", StringValue.of("hello"));
    tax.send(BANK, "t/big", BytesValue.of(ByteString.copyFrom(big)));

    assertThat(bank.receive(TAX, "t/hello", StringValue.class).getValue()).isEqualTo("hello");
    BytesValue got = bank.receive(TAX, "t/big", BytesValue.class);
    assertThat(got.getValue().size()).isEqualTo(10 << 20).isGreaterThan(4 << 20);
    assertThat(got.getValue().toByteArray()).isEqualTo(big);
    bank.send(TAX, "t/reply", StringValue.of("thanks"));
    assertThat(tax.receive(BANK, "t/reply", StringValue.class).getValue()).isEqualTo("thanks");

    tax.flush();
    long expected =
        StringValue.of("hello").getSerializedSize()
            + BytesValue.of(ByteString.copyFrom(big)).getSerializedSize();
    assertThat(tax.bytesSent()).containsEntry(BANK, expected).containsEntry(UTILITY, 0L);
    assertThat(bank.bytesReceived()).containsEntry(TAX, expected);
    assertThat(meters.get("fedcredit.federation.bytes.sent").tag("peer", "bank").counter().count())
        .isEqualTo(expected);
    assertThat(
            meters
                .get("fedcredit.federation.bytes.received")
                .tag("peer", "tax-bureau")
                .counter()
                .count())
        .isEqualTo(expected);
    assertThat(observed).containsExactly("tax-bureau>bank:t/hello", "tax-bureau>bank:t/big");
  }

  @Test
  void messagesUnderOneTagArriveInTheOrderSent() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX, UTILITY));
    GrpcFederation tax = nodes.federation("tax-bureau", JOB, options);
    GrpcFederation bank = nodes.federation("bank", JOB, options);
    for (long i = 0; i < 60; i++) {
      tax.send(BANK, "round", Int64Value.of(i));
      if (i % 20 == 7) {
        // A multi-chunk message in between must not overtake or be overtaken.
        tax.send(BANK, "round", BytesValue.of(ByteString.copyFrom(random(1_500_000, i))));
      }
    }
    for (long i = 0; i < 60; i++) {
      assertThat(bank.receive(TAX, "round", Int64Value.class).getValue()).isEqualTo(i);
      if (i % 20 == 7) {
        assertThat(bank.receive(TAX, "round", BytesValue.class).getValue().toByteArray())
            .isEqualTo(random(1_500_000, i));
      }
    }
  }

  @Test
  void concurrentSendersKeepTheOrderOfEachTag() throws Exception {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    GrpcFederation tax = nodes.federation("tax-bureau", JOB, options);
    GrpcFederation bank = nodes.federation("bank", JOB, options);
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      String tag = "thread-" + t;
      senders.add(
          CompletableFuture.runAsync(
              () -> {
                for (long i = 0; i < 25; i++) {
                  tax.send(BANK, tag, Int64Value.of(i));
                }
              }));
    }
    for (CompletableFuture<Void> s : senders) {
      s.get(20, TimeUnit.SECONDS);
    }
    tax.flush();
    for (int t = 0; t < 4; t++) {
      for (long i = 0; i < 25; i++) {
        assertThat(bank.receive(TAX, "thread-" + t, Int64Value.class).getValue()).isEqualTo(i);
      }
    }
  }

  @Test
  void aRetriedMessageIdIsAcknowledgedAsDuplicateAndDeliveredOnce() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    GrpcFederation bank =
        nodes.federation("bank", JOB, options.withReceiveTimeout(Duration.ofMillis(300)));
    byte[] p = StringValue.of("once").toByteArray();
    MessageHeader h = RawDelivery.header(JOB, "t", "tax-bureau", "bank", "m-1", 1, p).build();
    ManagedChannel c = channel("tax-bureau", "bank");

    RawDelivery.Outcome first = RawDelivery.deliver(c, h, p);
    RawDelivery.Outcome retry = RawDelivery.deliver(c, h, p);

    assertThat(first.ok()).as(first.describe()).isTrue();
    assertThat(first.ack().getDuplicate()).isFalse();
    assertThat(retry.ok()).as(retry.describe()).isTrue();
    assertThat(retry.ack().getDuplicate()).isTrue();
    assertThat(bank.receive(TAX, "t", StringValue.class).getValue()).isEqualTo("once");
    assertThatThrownBy(() -> bank.receive(TAX, "t", StringValue.class))
        .isInstanceOf(FederationException.class)
        .hasMessageContaining("timed out");
    assertThat(bank.bytesReceived()).containsEntry(TAX, (long) p.length);
  }

  @Test
  void aReorderedOrReplayedSequenceNumberIsRefused() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    byte[] p = StringValue.of("x").toByteArray();
    ManagedChannel c = channel("tax-bureau", "bank");
    assertThat(
            RawDelivery.deliver(
                    c, RawDelivery.header(JOB, "t", "tax-bureau", "bank", "a", 5, p).build(), p)
                .ok())
        .isTrue();
    RawDelivery.Outcome stale =
        RawDelivery.deliver(
            c, RawDelivery.header(JOB, "t", "tax-bureau", "bank", "b", 5, p).build(), p);
    assertThat(stale.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(stale.status().getDescription())
        .contains("job job-1", "tax-bureau", "replayed or reordered");
  }

  @Test
  void malformedStreamsAreRefused() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    ManagedChannel c = channel("tax-bureau", "bank");
    byte[] p = BytesValue.of(ByteString.copyFrom(random(1_300_000, 3))).toByteArray();
    MessageHeader good = RawDelivery.header(JOB, "t", "tax-bureau", "bank", "g", 1, p).build();
    List<MessageChunk> chunks = RawDelivery.chunks(good, p);

    Map<String, List<MessageChunk>> mutations =
        Map.of(
            "wrong sha256",
            RawDelivery.chunks(
                good.toBuilder().setSha256(ByteString.copyFrom(new byte[32])).build(), p),
            "chunk_count not fitting total_bytes",
            RawDelivery.chunks(good.toBuilder().setChunkCount(3).build(), p),
            "a chunk missing",
            List.of(chunks.get(0)),
            "chunks swapped",
            List.of(chunks.get(1), chunks.get(0)),
            "no header",
            List.of(chunks.get(0).toBuilder().clearHeader().build(), chunks.get(1)),
            "a chunk above 1 MiB",
            List.of(
                MessageChunk.newBuilder().setHeader(good).setData(ByteString.copyFrom(p)).build()));
    for (var m : mutations.entrySet()) {
      RawDelivery.Outcome o = RawDelivery.deliver(c, m.getValue());
      assertThat(o.ok()).as(m.getKey()).isFalse();
      assertThat(o.status().getCode())
          .as(m.getKey())
          .isIn(Status.Code.INVALID_ARGUMENT, Status.Code.DATA_LOSS);
    }
    // After all of them the honest message still goes through, once.
    assertThat(RawDelivery.deliver(c, chunks).ok()).isTrue();
    GrpcFederation bank = nodes.federation("bank", JOB, options);
    assertThat(bank.receive(TAX, "t", BytesValue.class)).isNotNull();
    assertThat(bank.bytesReceived()).containsEntry(TAX, (long) p.length);
  }

  @Test
  void receiveTimesOutNamingThePeerAndTheTag() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    GrpcFederation bank =
        nodes.federation("bank", JOB, options.withReceiveTimeout(Duration.ofMillis(200)));
    assertThatThrownBy(() -> bank.receive(TAX, "lr/0/1/residual", StringValue.class))
        .isInstanceOf(FederationException.class)
        .hasMessageContaining("timed out")
        .hasMessageContaining("'lr/0/1/residual'")
        .hasMessageContaining("tax-bureau")
        .hasMessageContaining("job-1");
    assertThatThrownBy(() -> bank.receive(PartyId.of("nobody"), "t", StringValue.class))
        .hasMessageContaining("'nobody' is not a party of job job-1");
  }

  @Test
  void failPeerAndAbortWakeWaitersWithTheReason() throws Exception {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX, UTILITY));
    GrpcFederation bank = nodes.federation("bank", JOB, options);
    CompletableFuture<Object> waiting =
        CompletableFuture.supplyAsync(() -> bank.receive(TAX, "lr/key", StringValue.class));
    Thread.sleep(100);
    bank.failPeer(TAX, "tax-bureau's node crashed");
    assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(FederationException.class)
        .hasMessageContaining("'lr/key'")
        .hasMessageContaining("tax-bureau failed: tax-bureau's node crashed");

    CompletableFuture<Object> other =
        CompletableFuture.supplyAsync(() -> bank.receive(UTILITY, "lr/key", StringValue.class));
    bank.abort("cancelled by the bank");
    assertThatThrownBy(() -> other.get(5, TimeUnit.SECONDS))
        .hasMessageContaining("'lr/key' from utility")
        .hasMessageContaining("aborted: cancelled by the bank");
    assertThatThrownBy(() -> bank.send(UTILITY, "x", StringValue.of("late")))
        .hasMessageContaining("aborted: cancelled by the bank");
  }

  @Test
  void aClientCertificateOfAnotherCaIsRefusedAtTheHandshake() throws Exception {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    GrpcFederation bank =
        nodes.federation("bank", JOB, options.withReceiveTimeout(Duration.ofMillis(300)));
    Path rogueCa = dir.resolve("rogue");
    CertificateAuthority.init(rogueCa);
    TlsIdentity.Loaded rogue = CertificateAuthority.issue(rogueCa, "tax-bureau").load();
    TlsIdentity.Loaded real = nodes.node("bank").identity().load();
    // The rogue client trusts the real CA, so only the server's check of its certificate can fail.
    ManagedChannel c =
        NettyChannelBuilder.forAddress("127.0.0.1", nodes.node("bank").address().port())
            .sslContext(
                GrpcSslContexts.forClient()
                    .keyManager(rogue.key(), rogue.certificate())
                    .trustManager(real.caCertificate())
                    .build())
            .build();
    channels.add(c);
    byte[] p = StringValue.of("forged").toByteArray();

    RawDelivery.Outcome o =
        RawDelivery.deliver(
            c, RawDelivery.header(JOB, "t", "tax-bureau", "bank", "r", 1, p).build(), p);

    assertThat(o.status().getCode()).as(o.describe()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> bank.receive(TAX, "t", StringValue.class))
        .hasMessageContaining("timed out");
  }

  @Test
  void theClientRefusesAServerThatIsNotThePartyItMeantToReach() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX, UTILITY));
    GrpcFederation utility =
        nodes.federation("utility", JOB, options.withReceiveTimeout(Duration.ofMillis(300)));
    // tax-bureau's configuration points "bank" at the utility's node.
    GrpcFederation tax =
        GrpcFederation.forJob(
            JOB,
            TAX,
            Map.of(BANK, nodes.node("utility").address()),
            nodes.node("tax-bureau").endpoint(),
            options);
    tax.send(BANK, "t", StringValue.of("for the bank only"));
    assertThatThrownBy(tax::close)
        .isInstanceOf(FederationException.class)
        .hasMessageContaining("could not deliver 't'")
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("the server presented a certificate for 'utility', expected 'bank'");
    assertThatThrownBy(() -> utility.receive(TAX, "t", StringValue.class))
        .hasMessageContaining("timed out");
  }

  @Test
  void aPlaintextClientIsRefusedByATlsServer() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    GrpcFederation bank =
        nodes.federation("bank", JOB, options.withReceiveTimeout(Duration.ofMillis(300)));
    Metadata claim = new Metadata();
    claim.put(PeerIdentity.INSECURE_HEADER, "tax-bureau");
    ManagedChannel c =
        NettyChannelBuilder.forAddress("127.0.0.1", nodes.node("bank").address().port())
            .usePlaintext()
            .intercept(MetadataUtils.newAttachHeadersInterceptor(claim))
            .build();
    channels.add(c);
    byte[] p = StringValue.of("plain").toByteArray();

    RawDelivery.Outcome o =
        RawDelivery.deliver(
            c, RawDelivery.header(JOB, "t", "tax-bureau", "bank", "p", 1, p).build(), p);

    assertThat(o.status().getCode()).as(o.describe()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> bank.receive(TAX, "t", StringValue.class))
        .hasMessageContaining("timed out");
  }

  @Test
  void aSenderClaimingAnotherIdentityIsRefused() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX, UTILITY));
    byte[] p = StringValue.of("I am the utility").toByteArray();
    RawDelivery.Outcome o =
        RawDelivery.deliver(
            channel("tax-bureau", "bank"),
            RawDelivery.header(JOB, "t", "utility", "bank", "c", 1, p).build(),
            p);
    assertThat(o.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(o.status().getDescription()).startsWith("sender tax-bureau claims to be utility");
  }

  @Test
  void aMessageForAJobTheReceiverHasNotAcceptedIsRefused() {
    nodes.node("tax-bureau").jobs().accept("job-2", Set.of(BANK, TAX));
    GrpcFederation tax = nodes.federation("tax-bureau", "job-2", options);
    tax.send(BANK, "t", StringValue.of("unsolicited"));
    assertThatThrownBy(tax::flush)
        .isInstanceOf(FederationException.class)
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining("job job-2 has not been accepted by this node");
    // The failure is sticky: the next send reports it too.
    assertThatThrownBy(() -> tax.send(BANK, "u", StringValue.of("again")))
        .hasMessageContaining("job job-2 has not been accepted");
  }

  @Test
  void aMessageFromAPartyNotInTheJobIsRefused() {
    nodes.node("bank").jobs().accept(JOB, Set.of(BANK, TAX));
    nodes.node("utility").jobs().accept(JOB, Set.of(BANK, TAX, UTILITY));
    GrpcFederation utility = nodes.federation("utility", JOB, options);
    utility.send(BANK, "t", StringValue.of("let me in"));
    assertThatThrownBy(utility::close)
        .hasMessageContaining("PERMISSION_DENIED")
        .hasMessageContaining("utility is not a party of job job-1");
  }

  @Test
  void aReplayedMessageAfterTheJobFinishedIsRefused() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    GrpcFederation bank = nodes.federation("bank", JOB, options);
    byte[] p = StringValue.of("gradient").toByteArray();
    MessageHeader h = RawDelivery.header(JOB, "t", "tax-bureau", "bank", "m-9", 1, p).build();
    ManagedChannel c = channel("tax-bureau", "bank");
    assertThat(RawDelivery.deliver(c, h, p).ok()).isTrue();
    assertThat(bank.receive(TAX, "t", StringValue.class).getValue()).isEqualTo("gradient");

    bank.close();
    RawDelivery.Outcome afterClose = RawDelivery.deliver(c, h, p);
    nodes.node("bank").jobs().finish(JOB);
    RawDelivery.Outcome afterFinish =
        RawDelivery.deliver(c, h.toBuilder().setMessageId("m-10").setSequence(2).build(), p);

    assertThat(afterClose.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(afterClose.status().getDescription())
        .contains("job job-1", "from tax-bureau", "closed at bank");
    assertThat(afterFinish.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(afterFinish.status().getDescription())
        .contains("job job-1", "from tax-bureau", "has finished at bank");
    assertThatThrownBy(() -> nodes.federation("bank", JOB, options))
        .hasMessageContaining("job job-1 was closed at bank");
  }

  @Test
  void sendsWaitAndRetryUntilThePeerIsUpWithBoundedPendingBytes() throws Exception {
    // The bank's node is not listening yet: its port is reserved and released.
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestNodes.Node taxNode = nodes.node("tax-bureau");
    taxNode.jobs().accept(JOB, Set.of(BANK, TAX));
    GrpcFederation tax =
        GrpcFederation.forJob(
            JOB,
            TAX,
            Map.of(BANK, new PeerAddress("127.0.0.1", port)),
            taxNode.endpoint(),
            options
                .withRetries(40, Duration.ofMillis(50), Duration.ofMillis(100))
                .withMaxPendingBytes(1 << 20));
    byte[] part = random(600_000, 5);
    tax.send(BANK, "t", BytesValue.of(ByteString.copyFrom(part)));
    // A second 600 kB message would exceed the 1 MiB pending bound: send blocks.
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> tax.send(BANK, "t", BytesValue.of(ByteString.copyFrom(part))));
    Thread.sleep(400);
    assertThat(second).isNotDone();

    TransportSecurity bankSecurity = nodes.node("bank").security();
    AcceptedJobs bankJobs = new AcceptedJobs().accept(JOB, Set.of(BANK, TAX));
    FederationEndpoint bankEndpoint = new FederationEndpoint(bankSecurity, bankJobs);
    try (GrpcServers.RunningServer late =
        GrpcServers.builder(bankSecurity)
            .bindHost("127.0.0.1")
            .port(port)
            .addService(bankEndpoint.service())
            .start()) {
      second.get(10, TimeUnit.SECONDS);
      tax.close();
      GrpcFederation bank =
          GrpcFederation.forJob(
              JOB,
              BANK,
              Map.of(TAX, taxNode.address()),
              bankEndpoint,
              options.withReceiveTimeout(Duration.ofMillis(300)));
      assertThat(bank.receive(TAX, "t", BytesValue.class).getValue().toByteArray()).isEqualTo(part);
      assertThat(bank.receive(TAX, "t", BytesValue.class).getValue().toByteArray()).isEqualTo(part);
      assertThatThrownBy(() -> bank.receive(TAX, "t", BytesValue.class))
          .hasMessageContaining("timed out");
      bank.close();
    }
  }

  @Test
  void aFederationMustSpeakForItsNodesIdentityAndOncePerJob() {
    nodes.acceptEverywhere(JOB, Set.of(BANK, TAX));
    assertThatThrownBy(
            () -> GrpcFederation.forJob(JOB, TAX, Map.of(), nodes.node("bank").endpoint(), options))
        .hasMessageContaining("this node's identity is bank")
        .hasMessageContaining("not tax-bureau");
    nodes.federation("bank", JOB, options);
    assertThatThrownBy(() -> nodes.federation("bank", JOB, options))
        .hasMessageContaining("job job-1 already has a federation at bank");
  }
}
