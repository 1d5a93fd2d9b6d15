package org.fedcredit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditException;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.audit.EntryProof;
import org.fedcredit.coordinator.audit.EntryText;
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
          + " nothing but the export file and the log's public key is trusted.",
      "A coordinator writes its log to <work_dir>/audit/export.json when it stops, with the"
          + " public key beside it (log.pub); its compliance page (audit.web.port) serves a"
          + " fresh one at /audit/export.json. In production, get the public key from the"
          + " coordinator's operator out of band, never from the same place as the export.",
      "",
      "Examples:",
      "  fedcredit audit verify --dir fedcredit-demo      (after ./fedcredit demo)",
      "  fedcredit audit verify --export export.json --public-key log.pub",
      "  fedcredit audit show --export export.json --job job-20261127-ab12cd",
      "  fedcredit audit proof --proof entry-7.json --public-key log.pub"
    },
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Show.class,
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
        "Prints the number of leaves, the root, the witnesses and 'verified' (exit 0), then each"
            + " job in the log with its encrypted rounds and their effective key size; otherwise"
            + " what is wrong and the first bad entry index (exit 1).",
        "Checks every witness cosignature in the export (the participant nodes' signatures on the"
            + " checkpoints they were shown) and prints how many witnesses cosigned the latest"
            + " checkpoint and up to which size each one did; a bad cosignature or one on another"
            + " history fails, naming the witness.",
        "Give either --export FILE --public-key FILE, or --dir DIR: every **/audit/export.json"
            + " under DIR (e.g. a demo's work directory) is verified with the log.pub beside it"
            + " and, for the witnesses, DIR/certs/ca.crt if there is one — which only shows that"
            + " the files agree; in production pass the key and CA you obtained out of band with"
            + " --public-key and --ca."
      })
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--export",
        paramLabel = "FILE",
        description = "Export file (fedcredit-translog-export/1).")
    Path export;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Directory searched for **/audit/export.json, each verified with the log.pub beside"
                + " it (unless --public-key is given).")
    Path dir;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description =
            "File holding the log's verifier key, <name>+<hash>+<base64>; required with"
                + " --export.")
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
      if ((export == null) == (dir == null)) {
        throw new UserInputException(
            "give either --export FILE --public-key FILE or --dir DIR (see fedcredit audit verify"
                + " --help)");
      }
      if (export != null) {
        if (publicKey == null) {
          throw new UserInputException(
              "--export needs --public-key FILE: the log's verifier key, obtained out of band");
        }
        return verifyOne(out, export, readKey(publicKey), caCertificate(out, null))
            ? 0
            : FedCredit.EXIT_FAILED;
      }
      List<Path> exports = findExports(dir);
      boolean all = true;
      for (Path e : exports) {
        out.println("export: " + e);
        NoteKeys.Verifier key;
        if (publicKey != null) {
          out.println("public key: " + publicKey + " (given with --public-key)");
          key = readKey(publicKey);
        } else {
          Path beside = e.resolveSibling("log.pub");
          if (!Files.isRegularFile(beside)) {
            throw new UserInputException(
                "no log.pub beside " + e + "; pass the log's public key with --public-key FILE");
          }
          out.println(
              "public key: "
                  + beside
                  + " (found beside the export: this shows only that the two agree; in"
                  + " production obtain the log's public key out of band and pass"
                  + " --public-key)");
          key = readKey(beside);
        }
        all &= verifyOne(out, e, key, caCertificate(out, dir));
        if (exports.size() > 1) {
          out.println();
        }
      }
      return all ? 0 : FedCredit.EXIT_FAILED;
    }

    /** --ca, or with --dir the deployment's certs/ca.crt under it (said so), or none. */
    private java.util.Optional<java.security.cert.X509Certificate> caCertificate(
        PrintWriter out, Path under) {
      if (ca != null) {
        return java.util.Optional.of(readCa(ca));
      }
      if (under != null && Files.isRegularFile(under.resolve("certs/ca.crt"))) {
        out.println(
            "witness CA: "
                + under.resolve("certs/ca.crt")
                + " (found in the directory; in production pass the federation's CA with --ca)");
        return java.util.Optional.of(readCa(under.resolve("certs/ca.crt")));
      }
      return java.util.Optional.empty();
    }

    private static boolean verifyOne(
        PrintWriter out,
        Path file,
        NoteKeys.Verifier key,
        java.util.Optional<java.security.cert.X509Certificate> ca) {
      Export e = readExport(file);
      Verifier.Result r = Verifier.verify(e, key, ca);
      if (!r.verified()) {
        out.println("NOT verified: " + r.problem());
        r.badIndex().ifPresent(i -> out.println("first bad index: " + i));
        return false;
      }
      out.println("leaves: " + r.leaves());
      out.println("root: " + r.rootHex());
      out.println(
          "witnesses of the latest checkpoint: "
              + r.witnessesOfLatest().size()
              + (r.witnessesOfLatest().isEmpty() ? "" : " " + r.witnessesOfLatest()));
      r.witnessed().forEach((w, size) -> out.println("  " + w + " cosigned up to size " + size));
      out.println("verified");
      Parsed p = parse(e, r.leaves());
      for (EntryText.Job j : EntryText.jobs(p.entries())) {
        List<String> rounds = EntryText.roundLines(j);
        String head = EntryText.heading(j) + ":";
        if (rounds.isEmpty()) {
          out.println(head + " no encrypted rounds in the log");
        } else if (rounds.size() == 1) {
          out.println(head + " " + rounds.get(0));
        } else {
          out.println(head);
          rounds.forEach(l -> out.println("  " + l));
        }
        long served = EntryText.decisionsServed(j, p.entries());
        if (served > 0) {
          out.println("  decisions served with its model: " + served);
        }
      }
      p.printProblems(out);
      return true;
    }
  }

  /** {@code fedcredit audit show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "Prints one job's audit entries from an export, in log order and in words: who submitted"
            + " it, each party's decision with its reason and columns, PSI counts, every"
            + " encrypted round with its scheme, effective key size, encoding and the hashes of"
            + " the ciphertexts the coordinator received, the model's shard hashes and how the"
            + " job ended.",
        "With --public-key the export is verified first and nothing is shown if it does not"
            + " verify (exit 1). Without it the entries are shown unverified, and the output"
            + " says so."
      })
  static final class Show implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--job", required = true, paramLabel = "ID", description = "The job id.")
    String job;

    @Option(
        names = "--export",
        paramLabel = "FILE",
        description = "Export file; or --dir DIR to search DIR for **/audit/export.json.")
    Path export;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Directory searched for **/audit/export.json (the first holding the job).")
    Path dir;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description = "The log's verifier key: verify the export before showing it.")
    Path publicKey;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if ((export == null) == (dir == null)) {
        throw new UserInputException("give either --export FILE or --dir DIR");
      }
      List<Path> files = export != null ? List.of(export) : findExports(dir);
      Path file = null;
      Export e = null;
      Parsed p = null;
      for (Path f : files) {
        Export candidate = readExport(f);
        Parsed parsed = parse(candidate, candidate.entries().size());
        if (parsed.jobs().contains(job) || files.size() == 1) {
          file = f;
          e = candidate;
          p = parsed;
          if (parsed.jobs().contains(job)) {
            break;
          }
        }
      }
      if (p == null || !p.jobs().contains(job)) {
        Set<String> known = new TreeSet<>();
        for (Path f : files) {
          Export x = readExport(f);
          known.addAll(parse(x, x.entries().size()).jobs());
        }
        throw new UserInputException(
            "job "
                + job
                + " is not in "
                + (files.size() == 1 ? "the export " + files.get(0) : files.size() + " exports")
                + (known.isEmpty() ? "; it holds no job entries" : "; jobs in it: " + known));
      }
      if (publicKey != null) {
        Verifier.Result r = Verifier.verify(e, readKey(publicKey));
        if (!r.verified()) {
          out.println("NOT verified: " + r.problem());
          r.badIndex().ifPresent(i -> out.println("first bad index: " + i));
          return FedCredit.EXIT_FAILED;
        }
        out.println("export " + file + ": verified (" + r.leaves() + " leaves)");
      } else {
        out.println(
            "export "
                + file
                + ": NOT verified (pass --public-key FILE, or run fedcredit audit verify)");
      }
      List<AuditLog.Indexed> mine =
          p.entries().stream().filter(i -> i.entry().job().equals(Optional.of(job))).toList();
      EntryText.Job j = EntryText.job(job, mine);
      out.println(EntryText.heading(j) + ", " + mine.size() + " entries");
      for (AuditLog.Indexed i : mine) {
        out.println(EntryText.summary(i.index(), i.entry()));
        EntryText.details(i.entry()).forEach(l -> out.println("    " + l));
      }
      return 0;
    }
  }

  /** {@code fedcredit audit proof}. */
  @Command(
      name = "proof",
      mixinStandardHelpOptions = true,
      description = {
        "Prints the RFC 6962 inclusion proof (audit path, leaf side first, hex) of one entry of"
            + " the export and checks it. The tree is that of the latest checkpoint when"
            + " --public-key is given (its signature is checked), else of all exported entries.",
        "Or, with --proof FILE --public-key FILE, checks a proof downloaded from the compliance"
            + " page (/audit/entries/N/proof, format fedcredit-audit-proof/1): the checkpoint's"
            + " signature, that the entry's bytes hash to the leaf, that the shown entry is those"
            + " bytes, and the audit path up to the signed root. Exit 0 if it holds, 1 if not."
      })
  static final class Proof implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--export", paramLabel = "FILE", description = "Export file (with --leaf).")
    Path export;

    @Option(names = "--leaf", paramLabel = "N", description = "Entry index (with --export).")
    Long leafOption;

    @Option(
        names = "--proof",
        paramLabel = "FILE",
        description = "A proof from the compliance page; needs --public-key.")
    Path proof;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description = "The log's verifier key; the proof is then against its latest checkpoint.")
    Path publicKey;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (proof != null) {
        if (export != null || leafOption != null || publicKey == null) {
          throw new UserInputException(
              "--proof FILE goes with --public-key FILE only (the key obtained out of band)");
        }
        return checkProofFile(out);
      }
      if (export == null || leafOption == null) {
        throw new UserInputException(
            "give --export FILE --leaf N [--public-key FILE], or --proof FILE --public-key FILE");
      }
      long leaf = leafOption;
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

    private int checkProofFile(PrintWriter out) {
      String text;
      try {
        text = Files.readString(proof);
      } catch (NoSuchFileException ex) {
        throw new UserInputException("proof file " + proof + " does not exist");
      } catch (IOException ex) {
        throw new UserInputException("cannot read proof file " + proof + ": " + ex.getMessage());
      }
      EntryProof p;
      try {
        p = EntryProof.parse(text);
      } catch (AuditException ex) {
        out.println("NOT verified: " + proof + ": " + ex.getMessage());
        return FedCredit.EXIT_FAILED;
      }
      out.println("leaf: " + p.index());
      out.println("tree size: " + p.treeSize());
      out.println("leaf hash: " + MerkleTree.hex(p.leafHash()));
      out.println("root: " + MerkleTree.hex(p.root()));
      try {
        SignedCheckpoint c = p.verify(readKey(publicKey));
        AuditEntry entry = p.entry();
        out.println(EntryText.summary(p.index(), entry));
        out.println(
            "verified: entry "
                + p.index()
                + " is in the log "
                + c.origin()
                + " of size "
                + c.size()
                + " (signed checkpoint)");
        return 0;
      } catch (AuditException ex) {
        out.println("NOT verified: " + ex.getMessage());
        return FedCredit.EXIT_FAILED;
      }
    }
  }

  /** The {@code **}{@code /audit/export.json} files under {@code dir}, sorted. */
  static List<Path> findExports(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new UserInputException("--dir " + dir + " is not a directory");
    }
    List<Path> found;
    try (Stream<Path> walk = Files.walk(dir)) {
      found =
          walk.filter(
                  f ->
                      f.getFileName().toString().equals("export.json")
                          && f.getParent() != null
                          && f.getParent().getFileName().toString().equals("audit")
                          && Files.isRegularFile(f))
              .sorted()
              .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new UserInputException("cannot search " + dir + ": " + e.getMessage());
    }
    if (found.isEmpty()) {
      throw new UserInputException(
          "no audit/export.json under "
              + dir
              + "; a coordinator writes <work_dir>/audit/export.json when it stops, and its"
              + " compliance page serves one at /audit/export.json");
    }
    return found;
  }

  /** The export's entries below {@code limit} that are audit entries, and those that are not. */
  record Parsed(List<AuditLog.Indexed> entries, List<String> problems) {
    Set<String> jobs() {
      Set<String> out = new TreeSet<>();
      entries.forEach(i -> i.entry().job().ifPresent(out::add));
      return out;
    }

    void printProblems(PrintWriter out) {
      if (!problems.isEmpty()) {
        out.println(
            problems.size()
                + " entries are not "
                + AuditEntry.FORMAT
                + " entries (first: "
                + problems.get(0)
                + ")");
      }
    }
  }

  static Parsed parse(Export e, long limit) {
    List<AuditLog.Indexed> entries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Export.Entry x : e.entries()) {
      if (x.index() >= limit) {
        break;
      }
      try {
        entries.add(new AuditLog.Indexed(x.index(), AuditEntry.parse(x.data())));
      } catch (AuditException | java.time.DateTimeException ex) {
        problems.add("entry " + x.index() + ": " + ex.getMessage());
      }
    }
    return new Parsed(entries, problems);
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
