package org.fedcredit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.fedcredit.transport.tls.TlsSetupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fedcredit certs init|issue}: the federation's private certificate authority. */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
      "Creates the federation's private certificate authority and issues node certificates.",
      "",
      "Every node and the coordinator talk gRPC with mutual TLS: each presents a certificate of"
          + " this CA and trusts no other. A node's party id is its certificate's subject (CN).",
      "  fedcredit certs init --dir certs",
      "  fedcredit certs issue --dir certs --party coordinator",
      "  fedcredit certs issue --dir certs --party bank --host bank.example.org",
      "Keep ca.key offline once the certificates are issued; give each institution only its own"
          + " <party>.crt, <party>.key and ca.crt.",
    },
    subcommands = {CertsCommand.Init.class, CertsCommand.Issue.class})
final class CertsCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = "Creates a new private CA (EC P-256, 10 years): DIR/ca.crt and DIR/ca.key.")
  static final class Init implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write.")
    Path dir;

    @Override
    public Integer call() {
      try {
        CertificateAuthority.CaFiles f = CertificateAuthority.init(dir);
        spec.commandLine()
            .getOut()
            .println("CA created: " + f.certificate() + " (key " + f.privateKey() + ", mode 600)");
        return 0;
      } catch (TlsSetupException e) {
        throw new UserInputException(e.getMessage());
      }
    }
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description =
          "Issues a node certificate (2 years, server and client use) signed by the CA in DIR:"
              + " DIR/<party>.crt and DIR/<party>.key. Valid for localhost and 127.0.0.1 plus"
              + " every --host.")
  static final class Issue implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--dir",
        required = true,
        paramLabel = "DIR",
        description = "The CA's directory.")
    Path dir;

    @Option(
        names = "--party",
        required = true,
        paramLabel = "NAME",
        description = "The party id, e.g. bank, tax-bureau, coordinator (lower-case).")
    String party;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description = "Another host name or IP the node is reached at (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Override
    public Integer call() {
      try {
        TlsIdentity id = CertificateAuthority.issue(dir, party, hosts);
        spec.commandLine()
            .getOut()
            .println(
                "issued "
                    + id.certificate()
                    + " for party "
                    + party
                    + " (key "
                    + id.privateKey()
                    + ")");
        return 0;
      } catch (TlsSetupException e) {
        throw new UserInputException(e.getMessage());
      }
    }
  }
}
