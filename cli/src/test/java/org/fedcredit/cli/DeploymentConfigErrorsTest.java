package org.fedcredit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.cli.deploy.DeploymentFiles;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration error of the coordinator and the nodes stops the command with one line that
 * says what and where, and exit code 2 — never a stack trace.
 */
class DeploymentConfigErrorsTest {

  @TempDir Path dir;
  Map<String, Integer> ports;

  @BeforeEach
  void layout() throws Exception {
    CertificateAuthority.init(dir.resolve("certs"));
    CertificateAuthority.issue(dir.resolve("certs"), "coordinator");
    CertificateAuthority.issue(dir.resolve("certs"), "bank");
    ports = Map.of("coordinator", DeploymentFiles.freePort(), "bank", DeploymentFiles.freePort());
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/bank.csv"), "id,y,x0\n1,0,0.5\n2,1,0.7\n");
    DeploymentFiles.consentFile(
        dir.resolve("data/consent.csv"),
        List.of("1", "2"),
        "credit-scoring",
        java.time.LocalDate.now().plusDays(30));
    DeploymentFiles.coordinatorConfig(dir, ports, List.of("bank"), 10);
    DeploymentFiles.nodeConfig(
        dir,
        "bank",
        ports,
        "loans",
        "data/bank.csv",
        Optional.of("y"),
        List.of(),
        "data/consent.csv",
        List.of("*"));
  }

  static void assertOneLineExit2(CliHarness.Run r, String... mentions) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    String msg = r.err().strip();
    assertThat(msg.lines().count()).as(msg).isEqualTo(1);
    assertThat(msg).contains(mentions).doesNotContain("Exception").doesNotContain("\tat ");
  }

  void rewrite(String file, String from, String to) throws Exception {
    Path f = dir.resolve(file);
    String s = Files.readString(f);
    assertThat(s).contains(from);
    Files.writeString(f, s.replace(from, to));
  }

  @Test
  void missingFile() {
    assertOneLineExit2(
        CliHarness.run("coordinator", "--config", dir.resolve("nope.yaml").toString()),
        "nope.yaml");
    assertOneLineExit2(
        CliHarness.run("node", "--config", dir.resolve("nope.yaml").toString()), "nope.yaml");
  }

  @Test
  void unknownKey() throws Exception {
    rewrite("coordinator.yaml", "work_dir:", "wrok_dir:");
    assertOneLineExit2(
        CliHarness.run("coordinator", "--config", dir.resolve("coordinator.yaml").toString()),
        "coordinator.yaml",
        "wrok_dir");
    rewrite("bank.yaml", "heartbeat_seconds:", "heartbeat_secs:");
    assertOneLineExit2(
        CliHarness.run("node", "--config", dir.resolve("bank.yaml").toString()),
        "bank.yaml",
        "heartbeat_secs");
  }

  @Test
  void badPort() throws Exception {
    rewrite("coordinator.yaml", "port: " + ports.get("coordinator"), "port: 70000");
    assertOneLineExit2(
        CliHarness.run("coordinator", "--config", dir.resolve("coordinator.yaml").toString()),
        "coordinator.yaml",
        "listen.port",
        "70000");
    rewrite("bank.yaml", "port: " + ports.get("bank"), "port: http");
    assertOneLineExit2(
        CliHarness.run("node", "--config", dir.resolve("bank.yaml").toString()),
        "bank.yaml",
        "port");
  }

  @Test
  void unreadableCertificate() throws Exception {
    Files.writeString(dir.resolve("certs/bank.crt"), "not a certificate\n");
    assertOneLineExit2(
        CliHarness.run("node", "--config", dir.resolve("bank.yaml").toString()), "bank.crt");
    Files.writeString(
        dir.resolve("certs/coordinator.key"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertOneLineExit2(
        CliHarness.run("coordinator", "--config", dir.resolve("coordinator.yaml").toString()),
        "coordinator.key");
  }

  @Test
  void unreachableDatabase() throws Exception {
    Files.writeString(
        dir.resolve("coordinator.yaml"),
        Files.readString(dir.resolve("coordinator.yaml"))
            + "store: {url: 'jdbc:postgresql://127.0.0.1:1/test', user: postgres}\n");
    long t0 = System.nanoTime();
    assertOneLineExit2(
        CliHarness.run("coordinator", "--config", dir.resolve("coordinator.yaml").toString()),
        "127.0.0.1:1");
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
  }

  @Test
  void aCertificateOfAnotherPartyIsRefused() throws Exception {
    rewrite(
        "bank.yaml",
        "cert: certs/bank.crt, key: certs/bank.key",
        "cert: certs/coordinator.crt, key: certs/coordinator.key");
    assertOneLineExit2(
        CliHarness.run("node", "--config", dir.resolve("bank.yaml").toString()),
        "coordinator",
        "bank");
  }

  @Test
  void certsRefuseToOverwriteAndNameTheFix() {
    assertOneLineExit2(
        CliHarness.run("certs", "init", "--dir", dir.resolve("certs").toString()), "already");
    assertOneLineExit2(
        CliHarness.run(
            "certs", "issue", "--dir", dir.resolve("certs").toString(), "--party", "Not Valid"),
        "Not Valid");
  }
}
