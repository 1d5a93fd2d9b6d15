package org.fedcredit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.Export;
import org.fedcredit.coordinator.translog.InMemoryTree;
import org.fedcredit.coordinator.translog.InvalidProofException;
import org.fedcredit.coordinator.translog.MerkleTree;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.Verifier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedcredit audit}: offline checks of an exported transparency log. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Offline checks of an exported transparency log (docs/protocols/transparency-log.md):"
          + " nothing but the export file and the log's public key is trusted."
    },
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Proof.class,
      CommandLine.HelpCommand.class
    })
final class AuditCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code fedcredit audit verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Checks every signed checkpoint of the export against the public key, looks for split"
            + " views (two checkpoints of one size with different roots), and recomputes the"
            + " RFC 6962 root of the entries.",
        "Prints the number of leaves, the root and 'verified' (exit 0); otherwise what is wrong"
            + " and the first bad entry index (exit 1).",
        "Checks every witness cosignature in the export (the participant nodes' signatures on the"
            + " checkpoints they were shown) and prints how many witnesses cosigned the latest"
            + " checkpoint and up to which size each one did; a bad cosignature or one on another"
            + " history fails, naming the witness."
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--export", required = true, paramLabel = "FILE", description = "Export file.")
    Path export;

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "FILE",
        description = "File holding the log's verifier key, <name>+<hash>+<base64>.")
    Path publicKey;

    @Option(
        names = "--ca",
        paramLabel = "FILE",
        description =
            "The federation's CA certificate (PEM): every witness certificate must be issued by"
                + " it. Without it a cosignature is checked against the certificate it carries.")
    Path ca;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Verifier.Result r =
          Verifier.verify(
              readExport(export),
              readKey(publicKey),
              ca == null ? java.util.Optional.empty() : java.util.Optional.of(readCa(ca)));
      if (r.verified()) {
        out.println("leaves: " + r.leaves());
        out.println("root: " + r.rootHex());
        out.println(
            "witnesses of the latest checkpoint: "
                + r.witnessesOfLatest().size()
                + (r.witnessesOfLatest().isEmpty() ? "" : " " + r.witnessesOfLatest()));
        r.witnessed().forEach((w, size) -> out.println("  " + w + " cosigned up to size " + size));
        out.println("verified");
        return 0;
      }
      out.println("NOT verified: " + r.problem());
      r.badIndex().ifPresent(i -> out.println("first bad index: " + i));
      return FedCredit.EXIT_FAILED;
    }
  }

  /** {@code fedcredit audit proof}. */
  @Command(
      name = "proof",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the RFC 6962 inclusion proof (audit path, leaf side first, hex) of one entry of"
            + " the export and checks it. The tree is that of the latest checkpoint when"
            + " --public-key is given (its signature is checked), else of all exported entries."
      })
  static final class Proof implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--export", required = true, paramLabel = "FILE", description = "Export file.")
    Path export;

    @Option(names = "--leaf", required = true, paramLabel = "N", description = "Entry index.")
    long leaf;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description = "The log's verifier key; the proof is then against its latest checkpoint.")
    Path publicKey;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Export e = readExport(export);
      long size = e.entries().size();
      byte[] signedRoot = null;
      if (publicKey != null) {
        NoteKeys.Verifier key = readKey(publicKey);
        SignedCheckpoint latest = null;
        for (String note : e.checkpoints()) {
          SignedCheckpoint c;
          try {
            c = SignedCheckpoint.open(note, key);
          } catch (CheckpointException ex) {
            throw new UserInputException(
                export + ": a checkpoint does not verify: " + ex.getMessage());
          }
          latest = latest == null || c.size() > latest.size() ? c : latest;
        }
        if (latest == null) {
          throw new UserInputException(export + " has no signed checkpoint");
        }
        size = latest.size();
        signedRoot = latest.root();
      }
      if (leaf < 0 || leaf >= size) {
        throw new UserInputException(
            "--leaf "
                + leaf
                + " is not in the tree of "
                + size
                + " entries; use 0 to "
                + (size - 1));
      }
      if (e.entries().size() < size) {
        throw new UserInputException(
            export
                + " has "
                + e.entries().size()
                + " entries, fewer than the checkpoint's "
                + size);
      }
      InMemoryTree tree = new InMemoryTree();
      for (int i = 0; i < size; i++) {
        tree.append(e.entries().get(i).data());
      }
      List<byte[]> path = tree.inclusionProof(leaf, size);
      byte[] root = tree.root(size);
      out.println("leaf: " + leaf);
      out.println("tree size: " + size);
      out.println("leaf hash: " + MerkleTree.hex(tree.leafHash(leaf)));
      out.println("root: " + MerkleTree.hex(root));
      out.println("proof:");
      path.forEach(h -> out.println("  " + MerkleTree.hex(h)));
      try {
        MerkleTree.verifyInclusion(
            leaf, size, tree.leafHash(leaf), path, signedRoot != null ? signedRoot : root);
      } catch (InvalidProofException ex) {
        out.println("NOT verified against the signed checkpoint: " + ex.getMessage());
        return FedCredit.EXIT_FAILED;
      }
      out.println(
          signedRoot != null
              ? "verified against the signed checkpoint of size " + size
              : "verified against the recomputed root (no --public-key: no signature checked)");
      return 0;
    }
  }

  static Export readExport(Path file) {
    try {
      return Export.read(file);
    } catch (NoSuchFileException e) {
      throw new UserInputException("export file " + file + " does not exist");
    } catch (IOException e) {
      throw new UserInputException(e.getMessage());
    }
  }

  static java.security.cert.X509Certificate readCa(Path file) {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return (java.security.cert.X509Certificate)
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (NoSuchFileException e) {
      throw new UserInputException("CA certificate file " + file + " does not exist");
    } catch (IOException | java.security.cert.CertificateException e) {
      throw new UserInputException(
          file + " is not a readable X.509 certificate: " + e.getMessage());
    }
  }

  static NoteKeys.Verifier readKey(Path file) {
    try {
      return NoteKeys.parseVerifier(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new UserInputException("public key file " + file + " does not exist");
    } catch (IOException e) {
      throw new UserInputException("cannot read public key file " + file + ": " + e.getMessage());
    } catch (CheckpointException e) {
      throw new UserInputException(file + ": " + e.getMessage());
    }
  }
}
