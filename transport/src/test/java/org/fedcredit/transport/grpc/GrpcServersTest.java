package org.fedcredit.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.federation.v1.FederationServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrpcServersTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");

  @TempDir Path dir;

  @Test
  void theServerReportsItsServicesHealthyOverMutualTls() throws Exception {
    try (TestNodes nodes = new TestNodes(dir, "bank", "tax-bureau")) {
      ManagedChannel c =
          GrpcChannels.forPeer(
              nodes.node("tax-bureau").security(), BANK, nodes.node("bank").address());
      try {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(c);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(
                health
                    .check(
                        HealthCheckRequest.newBuilder()
                            .setService(FederationServiceGrpc.SERVICE_NAME)
                            .build())
                    .getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        c.shutdownNow();
      }
      int taken = nodes.node("bank").server().port();
      assertThatThrownBy(
              () ->
                  GrpcServers.builder(nodes.node("bank").security())
                      .bindHost("127.0.0.1")
                      .port(taken)
                      .start())
          .isInstanceOf(TransportException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken + " for bank")
          .hasMessageContaining("choose another port");
    }
  }

  @Test
  void insecureDevModeWorksInPlaintextAndStillNeedsACallerName() throws Exception {
    try (TestNodes nodes = TestNodes.insecure("bank", "tax-bureau")) {
      nodes.acceptEverywhere("j", Set.of(BANK, TAX));
      GrpcFederation.Options options =
          GrpcFederation.Options.defaults().withReceiveTimeout(Duration.ofSeconds(20));
      GrpcFederation tax = nodes.federation("tax-bureau", "j", options);
      GrpcFederation bank = nodes.federation("bank", "j", options);
      tax.send(BANK, "t", StringValue.of("plain"));
      assertThat(bank.receive(TAX, "t", StringValue.class).getValue()).isEqualTo("plain");

      // An anonymous plaintext caller reaches the health service but cannot deliver messages.
      ManagedChannel anonymous =
          NettyChannelBuilder.forAddress("127.0.0.1", nodes.node("bank").server().port())
              .usePlaintext()
              .build();
      try {
        assertThat(
                HealthGrpc.newBlockingStub(anonymous)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        byte[] p = StringValue.of("who?").toByteArray();
        RawDelivery.Outcome o =
            RawDelivery.deliver(
                anonymous,
                RawDelivery.header("j", "t", "tax-bureau", "bank", "a", 1, p).build(),
                p);
        assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(o.status().getDescription()).contains("did not identify itself");
      } finally {
        anonymous.shutdownNow();
      }
    }
  }
}
