package org.fedcredit.modelzoo.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Shard files: JSON written atomically (a temporary file in the same directory, then a move), so a
 * node never loads a half-written shard; read back as a map for {@link PartyModel#fromShard}.
 */
public final class ShardFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ShardFiles() {}

  /** The shard as pretty-printed JSON bytes (what a node stores and hashes). */
  public static byte[] toJson(Map<String, Object> shard) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(shard);
    } catch (JsonProcessingException e) {
      throw new ShardFormatException("cannot write the shard as JSON: " + e.getMessage(), e);
    }
  }

  /** Parses shard JSON bytes; {@code source} names them in errors. */
  public static Map<String, Object> fromJson(byte[] json, String source) {
    try {
      Map<String, Object> m = JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
      if (m == null) {
        throw new ShardFormatException(source + ": the shard is empty");
      }
      return m;
    } catch (IOException e) {
      throw new ShardFormatException(source + ": not a JSON object: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code shard} to {@code file} atomically, creating the directory.
   *
   * @return the bytes written
   */
  public static byte[] write(Map<String, Object> shard, Path file) {
    byte[] bytes = toJson(shard);
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".shard", ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the shard " + file + ": " + e.getMessage(), e);
    }
    return bytes;
  }

  /** Reads a shard file as a map. */
  public static Map<String, Object> read(Path file) {
    try {
      return fromJson(Files.readAllBytes(file), file.toString());
    } catch (NoSuchFileException e) {
      throw new ShardFormatException(file + ": no such shard file", e);
    } catch (IOException e) {
      throw new ShardFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
  }
}
