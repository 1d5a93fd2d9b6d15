package org.fedcredit.coordinator.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.fedcredit.coordinator.translog.CheckpointException;
import org.fedcredit.coordinator.translog.NoteKeys;

/**
 * The transparency log's Ed25519 signing key, kept as a file in Go's note key text form ({@code
 * PRIVATE+KEY+<name>+<hash>+<base64>}, readable by the owner only), with the verifier key beside it
 * ({@code <name>.pub}: the line a compliance officer needs, to be handed over out of band).
 *
 * <p>On the first start the key is generated; afterwards it is only read — a log whose key changed
 * could no longer prove its history, so a key file that does not parse stops the coordinator with
 * the reason instead of being replaced.
 */
public final class LogKeys {

  private LogKeys() {}

  /** The verifier key file written next to {@code keyFile}: same name, extension {@code .pub}. */
  public static Path publicKeyFile(Path keyFile) {
    String name = keyFile.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return keyFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".pub");
  }

  /**
   * Reads the signer key in {@code keyFile}, or creates one named {@code origin} if the file does
   * not exist; (re)writes the verifier key file beside it either way.
   *
   * @throws AuditException if the file exists but is not a signer key, or its name is not {@code
   *     origin}
   */
  public static NoteKeys.Signer loadOrCreate(Path keyFile, String origin) {
    NoteKeys.Signer signer;
    try {
      Files.createDirectories(keyFile.toAbsolutePath().getParent());
      if (Files.exists(keyFile)) {
        signer = read(keyFile);
        if (!signer.name().equals(origin)) {
          throw new AuditException(
              keyFile
                  + ": this log key is named '"
                  + signer.name()
                  + "' but the configured origin is '"
                  + origin
                  + "'; a log keeps its name for life — set audit.origin to '"
                  + signer.name()
                  + "'");
        }
      } else {
        signer = NoteKeys.generate(origin);
        writePrivate(keyFile, signer.encode() + "\n");
      }
      writeAtomically(publicKeyFile(keyFile), signer.verifier().encode() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the log key " + keyFile, e);
    }
    return signer;
  }

  /** Reads a signer key file. */
  public static NoteKeys.Signer read(Path keyFile) throws IOException {
    try {
      return NoteKeys.parseSigner(Files.readString(keyFile, StandardCharsets.UTF_8));
    } catch (CheckpointException e) {
      throw new AuditException(keyFile + ": not a log signing key: " + e.getMessage());
    }
  }

  /** Reads a verifier (public) key file. */
  public static NoteKeys.Verifier readVerifier(Path file) throws IOException {
    try {
      return NoteKeys.parseVerifier(Files.readString(file, StandardCharsets.UTF_8));
    } catch (CheckpointException e) {
      throw new AuditException(file + ": not a log verifier key: " + e.getMessage());
    }
  }

  private static void writePrivate(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.delete(tmp);
      throw e;
    }
  }

  /** Writes {@code text} to a temporary file beside {@code file} and moves it into place. */
  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    move(tmp, file);
  }

  static void move(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
