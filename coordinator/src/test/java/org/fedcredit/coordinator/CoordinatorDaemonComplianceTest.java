package org.fedcredit.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fedcredit.coordinator.translog.Export;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator serves its compliance page when, and only when, audit.web.port is set. */
class CoordinatorDaemonComplianceTest {
  @TempDir Path dir;

  Path config(String audit) throws Exception {
    return Files.writeString(
        dir.resolve("coordinator.yaml"),
        "listen: {host: 127.0.0.1, port: 0}\nwork_dir: work\nparties: [bank]\n" + audit);
  }

  @Test
  void theCompliancePageIsServedOnTheConfiguredLoopbackPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path file = config("audit: {web: {port: " + port + "}}\n");
    HttpClient http = HttpClient.newHttpClient();

    try (CoordinatorDaemon d = CoordinatorDaemon.start(CoordinatorConfig.load(file), true)) {
      assertThat(d.complianceWeb()).isPresent();
      assertThat(d.complianceWeb().get().baseUri().getHost()).isEqualTo("127.0.0.1");
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/audit")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .contains("id=\"verdict\" class=\"ok\">Verified<")
          .contains("the log is empty: nothing to check")
          .contains("id=\"no-jobs\"");
      HttpResponse<String> pub =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/audit/log.pub"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(pub.body()).isEqualTo(Files.readString(dir.resolve("work/audit/log.pub")));
    }
    assertThat(Export.read(dir.resolve("work/audit/export.json")).checkpoints()).hasSize(1);
  }

  @Test
  void withoutAWebPortThereIsNoPage() throws Exception {
    try (CoordinatorDaemon d = CoordinatorDaemon.start(CoordinatorConfig.load(config("")), true)) {
      assertThat(d.complianceWeb()).isEmpty();
    }
  }
}
